package io.closedloop.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records by object and id, with case-insensitive indexes on external-id and unique fields. One reentrant lock
 * guards everything; a transaction holds it and keeps an undo log so allOrNone can roll back.
 */
public final class SalesforceRecordStore {
    private record Undo(String object, String id, Map<String, Object> before) {
    }

    private final SalesforceSchema schema;
    private final Map<String, Map<String, Map<String, Object>>> tables = new HashMap<>();
    /** object -> field -> lower-cased value -> ids. */
    private final Map<String, Map<String, Map<String, Set<String>>>> indexes = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Undo> undo = new ArrayList<>();
    private int depth;

    public SalesforceRecordStore(SalesforceSchema schema) {
        this.schema = schema;
        for (SalesforceObjectType t : schema.objects()) {
            tables.put(t.name(), new LinkedHashMap<>());
            Map<String, Map<String, Set<String>>> byField = new HashMap<>();
            for (SalesforceField f : t.indexedFields()) {
                if (f.type() != SalesforceFieldType.ID) {
                    byField.put(f.name(), new HashMap<>());
                }
            }
            indexes.put(t.name(), byField);
        }
    }

    public void lock() {
        lock.lock();
    }

    public void unlock() {
        lock.unlock();
    }

    /** Starts a (possibly nested) transaction under the lock; the mark is where rollback returns to. */
    public int begin() {
        lock.lock();
        depth++;
        return undo.size();
    }

    public void rollback(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            Undo u = undo.remove(i);
            if (u.before() == null) {
                remove(u.object(), u.id());
            } else {
                write(u.object(), u.id(), u.before());
            }
        }
    }

    public void end() {
        depth--;
        if (depth == 0) {
            undo.clear();
        }
        lock.unlock();
    }

    /** The stored record (not a copy: callers hold the lock and must not change it), or null. */
    public Map<String, Object> get(String id) {
        SalesforceObjectType type = schema.objectForId(id);
        if (type == null) {
            return null;
        }
        return tables.get(type.name()).get(SalesforceIds.to18(id));
    }

    /** The object type of an id, by its key prefix, or null. */
    public SalesforceObjectType schemaFor(String id) {
        return schema.objectForId(id);
    }

    public Collection<Map<String, Object>> rows(String object) {
        return tables.get(object).values();
    }

    public int size(String object) {
        return tables.get(object).size();
    }

    /** Ids whose indexed field equals the value, case-insensitively; empty if the field is not indexed. */
    public Set<String> lookup(String object, String field, String value) {
        if (field.equals("Id")) {
            String id = SalesforceIds.to18(value);
            return tables.get(object).containsKey(id) ? Set.of(id) : Set.of();
        }
        Map<String, Set<String>> index = indexes.get(object).get(field);
        if (index == null || value == null) {
            return Set.of();
        }
        Set<String> ids = index.get(value.toLowerCase(Locale.ROOT));
        return ids == null ? Set.of() : ids;
    }

    public boolean indexed(String object, String field) {
        return field.equals("Id") || indexes.get(object).containsKey(field);
    }

    /** Inserts or replaces a record, keeping indexes and (inside a transaction) the undo log. */
    public void put(String object, Map<String, Object> record) {
        String id = (String) record.get("Id");
        Map<String, Object> before = tables.get(object).get(id);
        if (depth > 0) {
            undo.add(new Undo(object, id, before == null ? null : new LinkedHashMap<>(before)));
        }
        write(object, id, record);
    }

    /** Deletes a record, keeping indexes and (inside a transaction) the undo log. */
    public void delete(String object, String id) {
        Map<String, Object> before = tables.get(object).get(id);
        if (before != null && depth > 0) {
            undo.add(new Undo(object, id, new LinkedHashMap<>(before)));
        }
        remove(object, id);
    }

    private void write(String object, String id, Map<String, Object> record) {
        Map<String, Object> before = tables.get(object).get(id);
        if (before != null) {
            unindex(object, id, before);
        }
        tables.get(object).put(id, record);
        indexes.get(object).forEach((field, index) -> {
            Object v = record.get(field);
            if (v != null) {
                index.computeIfAbsent(v.toString().toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(id);
            }
        });
    }

    private void remove(String object, String id) {
        Map<String, Object> before = tables.get(object).remove(id);
        if (before != null) {
            unindex(object, id, before);
        }
    }

    private void unindex(String object, String id, Map<String, Object> record) {
        indexes.get(object).forEach((field, index) -> {
            Object v = record.get(field);
            if (v != null) {
                String key = v.toString().toLowerCase(Locale.ROOT);
                Set<String> ids = index.get(key);
                if (ids != null) {
                    ids.remove(id);
                    if (ids.isEmpty()) {
                        index.remove(key);
                    }
                }
            }
        });
    }
}
