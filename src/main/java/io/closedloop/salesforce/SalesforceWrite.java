package io.closedloop.salesforce;

import java.util.Map;

/**
 * One record to write through sObject Collections (salesforce-api.md §3): a create, an upsert by external id
 * when {@code externalIdField} is set, else an update by {@code Id}. {@code key} is the caller's handle for the result.
 */
public record SalesforceWrite(String key, String sobject, String externalIdField, Map<String, Object> fields, boolean create) {
    public SalesforceWrite(String key, String sobject, String externalIdField, Map<String, Object> fields) {
        this(key, sobject, externalIdField, fields, false);
    }

    /** A new record, for objects that take no external id (Task). */
    public static SalesforceWrite create(String key, String sobject, Map<String, Object> fields) {
        return new SalesforceWrite(key, sobject, null, fields, true);
    }

    public boolean upsert() {
        return externalIdField != null;
    }

    /** Writes that can share one collection subrequest. */
    String group() {
        return create ? "create" : upsert() ? "upsert:" + sobject + "/" + externalIdField : "update";
    }
}
