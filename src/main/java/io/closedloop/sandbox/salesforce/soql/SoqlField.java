package io.closedloop.sandbox.salesforce.soql;

import io.closedloop.sandbox.salesforce.SalesforceField;
import io.closedloop.sandbox.salesforce.SalesforceRecordStore;
import java.util.List;
import java.util.Map;

/** A field path checked against the schema: the lookups to follow, then the field, all with canonical names. */
public record SoqlField(List<SalesforceField> hops, SalesforceField field, String path) {

    /** The value on the record, following parent lookups; null when a parent is missing. Caller holds the store lock. */
    public Object valueOf(Map<String, Object> record, SalesforceRecordStore store) {
        Map<String, Object> current = record;
        for (SalesforceField hop : hops) {
            Object id = current.get(hop.name());
            current = id == null ? null : store.get(id.toString());
            if (current == null) {
                return null;
            }
        }
        return current.get(field.name());
    }
}
