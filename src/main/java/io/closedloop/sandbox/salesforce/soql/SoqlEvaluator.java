package io.closedloop.sandbox.salesforce.soql;

import io.closedloop.sandbox.salesforce.SalesforceField;
import io.closedloop.sandbox.salesforce.SalesforceFieldType;
import io.closedloop.sandbox.salesforce.SalesforceIds;
import io.closedloop.sandbox.salesforce.SalesforceObjectType;
import io.closedloop.sandbox.salesforce.SalesforceRecordStore;
import io.closedloop.sandbox.salesforce.SalesforceSchema;
import io.closedloop.sandbox.salesforce.soql.SoqlQuery.Condition;
import io.closedloop.sandbox.salesforce.soql.SoqlQuery.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Checks a parsed query against the schema and runs it over the record store, using the id and external-id indexes. */
public final class SoqlEvaluator {
    private final SalesforceSchema schema;
    private final SalesforceRecordStore store;

    public SoqlEvaluator(SalesforceSchema schema, SalesforceRecordStore store) {
        this.schema = schema;
        this.store = store;
    }

    public SoqlResult execute(String soql) {
        return execute(SoqlParser.parse(soql));
    }

    public SoqlResult execute(SoqlQuery query) {
        SalesforceObjectType type = schema.object(query.object());
        if (type == null) {
            throw new SoqlException("INVALID_TYPE", "sObject type '" + query.object() + "' is not supported. If you are"
                    + " attempting to use a custom object, be sure to append the '__c' after the entity name. Please"
                    + " reference your WSDL or the describe call for the appropriate names.");
        }
        List<SoqlField> columns = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> path : query.fields()) {
            SoqlField f = resolve(type, path);
            if (seen.add(f.path().toLowerCase())) {
                columns.add(f);
            }
        }
        Predicate<Map<String, Object>> where = query.where() == null ? r -> true : compile(type, query.where());
        List<Comparator<Map<String, Object>>> orders = new ArrayList<>();
        for (SoqlQuery.Order o : query.orderBy()) {
            orders.add(comparator(resolve(type, o.path()), o));
        }
        store.lock();
        try {
            Collection<Map<String, Object>> source = candidates(type, query.where());
            if (source == null) {
                source = store.rows(type.name());
            }
            List<Map<String, Object>> matched = new ArrayList<>();
            for (Map<String, Object> r : source) {
                if (where.test(r)) {
                    matched.add(r);
                }
            }
            if (!orders.isEmpty()) {
                matched.sort(orders.stream().reduce(Comparator::thenComparing).orElseThrow());
            }
            int from = Math.min(matched.size(), query.offset() == null ? 0 : query.offset());
            int to = query.limit() == null ? matched.size() : Math.min(matched.size(), from + query.limit());
            List<Map<String, Object>> page = new ArrayList<>(matched.subList(from, to));
            return new SoqlResult(type, List.copyOf(columns), page, page.size(), query.count());
        } finally {
            store.unlock();
        }
    }

    /** Resolves {@code Owner.Name}-style paths; polymorphic lookups accept a field of any of their targets. */
    SoqlField resolve(SalesforceObjectType type, List<String> path) {
        List<SalesforceObjectType> current = List.of(type);
        List<SalesforceField> hops = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            SalesforceField hop = null;
            for (SalesforceObjectType t : current) {
                hop = t.relationship(path.get(i));
                if (hop != null) {
                    break;
                }
            }
            if (hop == null) {
                throw new SoqlException("INVALID_FIELD", "Didn't understand relationship '" + path.get(i) + "' in field path."
                        + " If you are attempting to use a custom relationship, be sure to append the '__r' after the custom"
                        + " relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            hops.add(hop);
            canonical.append(hop.relationshipName()).append('.');
            current = hop.referenceTo().stream().map(schema::object).toList();
        }
        String name = path.get(path.size() - 1);
        for (SalesforceObjectType t : current) {
            SalesforceField f = t.field(name);
            if (f != null) {
                return new SoqlField(List.copyOf(hops), f, canonical + f.name());
            }
        }
        throw new SoqlException("INVALID_FIELD", "No such column '" + name + "' on entity '" + current.get(0).name()
                + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
                + " Please reference your WSDL or the describe call for the appropriate names.");
    }

    private Predicate<Map<String, Object>> compile(SalesforceObjectType type, Condition c) {
        if (c instanceof SoqlQuery.And and) {
            List<Predicate<Map<String, Object>>> parts = and.terms().stream().map(t -> compile(type, t)).toList();
            return r -> {
                for (Predicate<Map<String, Object>> p : parts) {
                    if (!p.test(r)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (c instanceof SoqlQuery.Or or) {
            List<Predicate<Map<String, Object>>> parts = or.terms().stream().map(t -> compile(type, t)).toList();
            return r -> {
                for (Predicate<Map<String, Object>> p : parts) {
                    if (p.test(r)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (c instanceof SoqlQuery.Not not) {
            return compile(type, not.term()).negate();
        }
        if (c instanceof SoqlQuery.Like like) {
            SoqlField f = resolve(type, like.path());
            if (!f.field().type().isText() && f.field().type() != SalesforceFieldType.ID
                    && f.field().type() != SalesforceFieldType.REFERENCE) {
                throw new SoqlException("INVALID_FIELD", "invalid operator on field '" + f.path() + "'. LIKE can only be used"
                        + " with string fields");
            }
            return r -> {
                Object v = f.valueOf(r, store);
                return v != null && like.pattern().matcher(v.toString()).matches();
            };
        }
        if (c instanceof SoqlQuery.In in) {
            SoqlField f = resolve(type, in.path());
            List<Object> values = new ArrayList<>();
            for (Value v : in.values()) {
                values.add(literal(f, v));
            }
            Comparator<Object> cmp = valueComparator(f.field().type());
            return r -> {
                Object v = f.valueOf(r, store);
                boolean found = false;
                for (Object candidate : values) {
                    if (v == null ? candidate == null : candidate != null && cmp.compare(v, candidate) == 0) {
                        found = true;
                        break;
                    }
                }
                return found != in.negated();
            };
        }
        SoqlQuery.Compare cmpCond = (SoqlQuery.Compare) c;
        SoqlField f = resolve(type, cmpCond.path());
        Object literal = literal(f, cmpCond.value());
        Comparator<Object> cmp = valueComparator(f.field().type());
        String op = cmpCond.op();
        if (literal == null && !op.equals("=") && !op.equals("!=")) {
            throw SoqlException.malformed("invalid operator on null for field '" + f.path() + "'");
        }
        return r -> {
            Object v = f.valueOf(r, store);
            if (literal == null || v == null) {
                boolean same = literal == null && v == null;
                return op.equals("=") ? same : op.equals("!=") && !same;
            }
            int d = cmp.compare(v, literal);
            return switch (op) {
                case "=" -> d == 0;
                case "!=" -> d != 0;
                case "<" -> d < 0;
                case ">" -> d > 0;
                case "<=" -> d <= 0;
                default -> d >= 0;
            };
        };
    }

    /** The literal as the field's Java type; a literal of the wrong kind is INVALID_FIELD, as in Salesforce. */
    private static Object literal(SoqlField f, Value v) {
        if (v.kind() == Value.Kind.NULL) {
            return null;
        }
        SalesforceFieldType type = f.field().type();
        Value.Kind expected = switch (type) {
            case DOUBLE, CURRENCY -> Value.Kind.NUMBER;
            case DATETIME -> Value.Kind.DATETIME;
            case DATE -> Value.Kind.DATE;
            case BOOLEAN -> Value.Kind.BOOLEAN;
            default -> Value.Kind.STRING;
        };
        if (v.kind() != expected) {
            String wanted = switch (expected) {
                case NUMBER -> "double and should not be enclosed in quotes";
                case DATETIME -> "dateTime and should not be enclosed in quotes";
                case DATE -> "date and should not be enclosed in quotes";
                case BOOLEAN -> "boolean and should not be enclosed in quotes";
                default -> "string and should be enclosed in quotes";
            };
            throw new SoqlException("INVALID_FIELD", "value of filter criterion for field '" + f.path() + "' must be of type "
                    + wanted);
        }
        if ((type == SalesforceFieldType.ID || type == SalesforceFieldType.REFERENCE) && v.value() instanceof String s) {
            return SalesforceIds.to18(s);
        }
        return v.value();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Comparator<Object> valueComparator(SalesforceFieldType type) {
        if (type.isText()) {
            return (a, b) -> String.CASE_INSENSITIVE_ORDER.compare(a.toString(), b.toString());
        }
        return (a, b) -> ((Comparable) a).compareTo(b);
    }

    private Comparator<Map<String, Object>> comparator(SoqlField f, SoqlQuery.Order o) {
        Comparator<Object> values = valueComparator(f.field().type());
        Comparator<Object> directed = o.descending() ? values.reversed() : values;
        Comparator<Object> withNulls = o.nullsFirst() ? Comparator.nullsFirst(directed) : Comparator.nullsLast(directed);
        return (a, b) -> withNulls.compare(f.valueOf(a, store), f.valueOf(b, store));
    }

    /** Records an indexed equality or IN narrows the query to, or null for a full scan. */
    private Collection<Map<String, Object>> candidates(SalesforceObjectType type, Condition c) {
        if (c instanceof SoqlQuery.And and) {
            for (Condition term : and.terms()) {
                Collection<Map<String, Object>> found = candidates(type, term);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        List<String> path;
        List<Value> values;
        if (c instanceof SoqlQuery.Compare cmp && cmp.op().equals("=")) {
            path = cmp.path();
            values = List.of(cmp.value());
        } else if (c instanceof SoqlQuery.In in && !in.negated()) {
            path = in.path();
            values = in.values();
        } else {
            return null;
        }
        if (path.size() != 1) {
            return null;
        }
        SalesforceField field = type.field(path.get(0));
        if (field == null || !store.indexed(type.name(), field.name())) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Value v : values) {
            if (v.kind() != Value.Kind.STRING) {
                return null;
            }
            ids.addAll(store.lookup(type.name(), field.name(), (String) v.value()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object> r = store.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }
}
