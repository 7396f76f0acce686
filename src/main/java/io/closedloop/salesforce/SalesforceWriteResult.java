package io.closedloop.salesforce;

import io.closedloop.core.Classification;

/** What Salesforce said about one record: its id, or the classified reason it failed. */
public record SalesforceWriteResult(SalesforceWrite write, String id, Boolean created, Classification failure) {
    public boolean success() {
        return failure == null;
    }
}
