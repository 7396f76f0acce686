package io.closedloop.salesforce;

import java.util.Map;

/**
 * One record to write through sObject Collections (salesforce-api.md §3): an upsert by external id when
 * {@code externalIdField} is set, else an update by {@code Id}. {@code key} is the caller's handle for the result.
 */
public record SalesforceWrite(String key, String sobject, String externalIdField, Map<String, Object> fields) {
    public boolean upsert() {
        return externalIdField != null;
    }

    /** Writes that can share one collection subrequest. */
    String group() {
        return upsert() ? "upsert:" + sobject + "/" + externalIdField : "update";
    }
}
