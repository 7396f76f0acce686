package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.salesforce.soql.SoqlField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records as the REST API returns them: {@code attributes} first, parents nested under their relationship names. */
final class SalesforceRecordRenderer {
    private final SalesforceRecordStore store;

    SalesforceRecordRenderer(SalesforceRecordStore store) {
        this.store = store;
    }

    static Map<String, Object> attributes(String type, Object id, String version) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", type);
        a.put("url", "/services/data/" + version + "/sobjects/" + type + (id == null ? "" : "/" + id));
        return a;
    }

    /** The selected columns of one record; caller holds the store lock. */
    @SuppressWarnings("unchecked")
    Map<String, Object> render(SalesforceObjectType type, Map<String, Object> record, List<SoqlField> columns, String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(type.name(), record.get("Id"), version));
        for (SoqlField col : columns) {
            Map<String, Object> target = out;
            Map<String, Object> source = record;
            boolean missing = false;
            for (SalesforceField hop : col.hops()) {
                String rel = hop.relationshipName();
                if (target.containsKey(rel) && target.get(rel) == null) {
                    missing = true;
                    break;
                }
                Object parentId = source.get(hop.name());
                Map<String, Object> parent = parentId == null ? null : store.get(parentId.toString());
                if (parent == null) {
                    target.put(rel, null);
                    missing = true;
                    break;
                }
                Map<String, Object> nested = (Map<String, Object>) target.get(rel);
                if (nested == null) {
                    nested = new LinkedHashMap<>();
                    nested.put("attributes", attributes(store.schemaFor(parentId.toString()).name(), parentId, version));
                    target.put(rel, nested);
                }
                target = nested;
                source = parent;
            }
            if (!missing) {
                target.put(col.field().name(), SalesforceValues.toJson(source.get(col.field().name())));
            }
        }
        return out;
    }

    /** Every field of a record, for GET /sobjects/{type}/{id}. */
    static Map<String, Object> full(SalesforceObjectType type, Map<String, Object> record, String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(type.name(), record.get("Id"), version));
        for (SalesforceField f : type.fields()) {
            out.put(f.name(), SalesforceValues.toJson(record.get(f.name())));
        }
        return out;
    }
}
