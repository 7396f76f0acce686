package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.salesforce.SalesforceOrg.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** sObject Collections create, update and upsert (reference §3): per-record results in request order. */
final class SalesforceCollectionsHandler {
    private static final int MAX_RECORDS = 200;
    private static final String ROLLED_BACK = "Record rolled back because not all records were valid and the request was"
            + " using AllOrNone header";

    private enum Op { CREATE, UPDATE, UPSERT }

    private final SalesforceOrg org;

    SalesforceCollectionsHandler(SalesforceOrg org) {
        this.org = org;
    }

    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        return run(request, Op.CREATE, null, null);
    }

    EmulatorResponse update(EmulatorRequest request, Matcher path) {
        return run(request, Op.UPDATE, null, null);
    }

    EmulatorResponse upsert(EmulatorRequest request, Matcher path) {
        SalesforceObjectType type = org.schema().object(path.group(2));
        if (type == null) {
            throw SalesforceErrors.notFound();
        }
        return run(request, Op.UPSERT, type, externalIdField(type, path.group(3)));
    }

    /**
     * {@code DELETE /composite/sobjects?ids=a,b&allOrNone=false}: up to 200 ids, one DeleteResult each in the order of
     * the ids (Salesforce REST API guide, "Delete Records Using sObject Collections").
     */
    EmulatorResponse delete(EmulatorRequest request, Matcher path) {
        String param = request.param("ids");
        List<String> ids = param == null ? List.of() : java.util.Arrays.stream(param.split(",")).map(String::trim)
                .filter(id -> !id.isEmpty()).toList();
        if (ids.isEmpty()) {
            throw SalesforceErrors.fail(400, "MISSING_ARGUMENT", "ids not specified");
        }
        if (ids.size() > MAX_RECORDS) {
            throw SalesforceErrors.fail(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than " + MAX_RECORDS
                    + " records into this call");
        }
        boolean allOrNone = "true".equalsIgnoreCase(request.param("allOrNone"));
        List<Map<String, Object>> results = new ArrayList<>();
        boolean anyFailed = false;
        SalesforceRecordStore store = org.store();
        int mark = store.begin();
        try {
            for (String id : ids) {
                try {
                    org.delete(id, true);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("id", SalesforceIds.to18(id));
                    r.put("success", true);
                    r.put("errors", List.of());
                    results.add(r);
                } catch (ValidationException e) {
                    anyFailed = true;
                    results.add(failure(e.statusCode(), e.getMessage(), e.fields()));
                }
            }
            if (allOrNone && anyFailed) {
                rollBack(store, mark, results);
            }
        } finally {
            store.end();
        }
        return EmulatorResponse.json(200, results);
    }

    /** The upsert key of a type: an external id field or Id; INVALID_FIELD otherwise (Collections and Bulk alike). */
    static SalesforceField externalIdField(SalesforceObjectType type, String name) {
        SalesforceField field = type.field(name);
        if (field == null || !(field.externalId() || field.type() == SalesforceFieldType.ID)) {
            // code UNCONFIRMED (reference §3.3); wording as Bulk API answers it (observed, thinbug.com/q/59282347)
            throw SalesforceErrors.fail(400, "INVALID_FIELD", "Field name provided, " + name + " does not match an"
                    + " External ID, Salesforce Id, or indexed field for " + type.name());
        }
        return field;
    }

    @SuppressWarnings("unchecked")
    private EmulatorResponse run(EmulatorRequest request, Op op, SalesforceObjectType urlType, SalesforceField extField) {
        Map<String, Object> body = SalesforceErrors.readObject(request.body());
        if (!(body.get("records") instanceof List<?> records)) {
            throw SalesforceErrors.fail(400, "JSON_PARSER_ERROR", "The request body must have a records array.");
        }
        // wording observed in client issues (restforce, superfell/Beatbox#3, Chrome-Salesforce-inspector#134)
        if (records.size() > MAX_RECORDS) {
            throw SalesforceErrors.fail(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than "
                    + MAX_RECORDS + " records into this call");
        }
        boolean allOrNone = Boolean.TRUE.equals(body.get("allOrNone"));
        List<Map<String, Object>> results = new ArrayList<>();
        boolean anyFailed = false;
        SalesforceRecordStore store = org.store();
        int mark = store.begin();
        try {
            for (Object item : records) {
                try {
                    if (!(item instanceof Map)) {
                        throw new ValidationException("JSON_PARSER_ERROR", "Each record must be a JSON object.", List.of());
                    }
                    results.add(save(op, (Map<String, Object>) item, urlType, extField));
                } catch (ValidationException e) {
                    anyFailed = true;
                    results.add(failure(e.statusCode(), e.getMessage(), e.fields()));
                }
            }
            if (allOrNone && anyFailed) {
                rollBack(store, mark, results);
            }
        } catch (RuntimeException e) {
            // an unexpected failure answers 500; leave no half-applied request behind
            store.rollback(mark);
            throw e;
        } finally {
            store.end();
        }
        return EmulatorResponse.json(200, results);
    }

    private Map<String, Object> save(Op op, Map<String, Object> record, SalesforceObjectType urlType, SalesforceField extField) {
        Object attributes = record.get("attributes");
        Object typeName = attributes instanceof Map<?, ?> a ? a.get("type") : null;
        SalesforceObjectType type = typeName == null ? null : org.schema().object(typeName.toString());
        if (type == null) {
            // "Must send a concrete entity type." is the observed answer to a record without a type (sfdcian.com)
            throw new ValidationException("INVALID_TYPE", typeName == null ? "Must send a concrete entity type."
                    : "sObject type '" + typeName + "' is not supported.", List.of());
        }
        Map<String, Object> fields = new LinkedHashMap<>(record);
        fields.remove("attributes");
        Map<String, Object> result = new LinkedHashMap<>();
        switch (op) {
            case CREATE -> {
                result.put("id", org.create(type.name(), fields, true));
            }
            case UPDATE -> {
                String id = removeId(fields);
                if (id == null) {
                    throw new ValidationException("MISSING_ARGUMENT", "Id not specified in an update call", List.of("Id"));
                }
                org.update(type.name(), id, fields, true);
                result.put("id", SalesforceIds.to18(id));
            }
            case UPSERT -> {
                if (type != urlType) {
                    throw new ValidationException("INVALID_TYPE", "Records must all be of the type in the URL: "
                            + urlType.name(), List.of());
                }
                SalesforceOrg.SaveOutcome outcome = upsertOne(org, type, extField, fields);
                result.put("id", outcome.id());
                result.put("success", true);
                result.put("errors", List.of());
                result.put("created", outcome.created());
                return result;
            }
            default -> throw new IllegalStateException();
        }
        result.put("success", true);
        result.put("errors", List.of());
        return result;
    }

    /** One record upserted by its key, with the per-record checks that Collections and Bulk share. */
    static SalesforceOrg.SaveOutcome upsertOne(SalesforceOrg org, SalesforceObjectType type, SalesforceField extField,
                                               Map<String, Object> fields) {
        if (extField.type() != SalesforceFieldType.ID && removeId(new LinkedHashMap<>(fields)) != null) {
            throw new ValidationException("INVALID_FIELD", "Only external ids are supported. Don't use record ids.",
                    List.of("Id"));
        }
        Object value = valueOf(fields, extField.name());
        if (value == null || value.toString().isEmpty()) {
            throw new ValidationException("MISSING_ARGUMENT", extField.name() + " not specified",
                    List.of(extField.name()));
        }
        if (extField.type() == SalesforceFieldType.ID) {
            removeId(fields);
            org.update(type.name(), value.toString(), fields, true);
            return new SalesforceOrg.SaveOutcome(SalesforceIds.to18(value.toString()), false);
        }
        return org.upsert(type.name(), extField.name(), value.toString(), fields, true);
    }

    private static Object valueOf(Map<String, Object> fields, String name) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Removes {@code id} / {@code Id} in any case and returns its value. */
    private static String removeId(Map<String, Object> fields) {
        String id = null;
        for (var it = fields.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase("id")) {
                id = e.getValue() == null ? null : e.getValue().toString();
                it.remove();
            }
        }
        return id;
    }

    /** allOrNone with a failure: nothing stays, and every record that had succeeded says it was rolled back (§3.1). */
    private static void rollBack(SalesforceRecordStore store, int mark, List<Map<String, Object>> results) {
        store.rollback(mark);
        for (int i = 0; i < results.size(); i++) {
            if (Boolean.TRUE.equals(results.get(i).get("success"))) {
                results.set(i, failure("ALL_OR_NONE_OPERATION_ROLLED_BACK", ROLLED_BACK, List.of()));
            }
        }
    }

    private static Map<String, Object> failure(String statusCode, String message, List<String> fields) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("success", false);
        r.put("errors", List.of(SalesforceErrors.recordError(statusCode, message, fields)));
        return r;
    }
}
