package io.closedloop.flow.engagement;

import io.closedloop.flow.SalesforceSchemaGate;

import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.state.StateStore;
import io.closedloop.state.SummaryQueue;
import io.closedloop.flow.replay.ParkedReplay;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays parked summary writes ({@code salesforce-summary}, keyed by the Salesforce id): the record goes back in the
 * summary queue and the queue is flushed, so its fields are recomputed from the ledger as of now.
 */
public class SalesforceSummaryReplay implements ParkedReplay.Handler {
    private final SalesforceSchemaGate schemaGate;
    private final SalesforceActivitySink sink;
    private final StateStore store;

    public SalesforceSummaryReplay(SalesforceSchemaGate schemaGate, SalesforceActivitySink sink, StateStore store) {
        this.schemaGate = schemaGate;
        this.sink = sink;
        this.store = store;
    }

    @Override
    public Set<String> replay(String flow, List<ParkedRecord> records) {
        schemaGate.verify();
        List<SummaryQueue.Pending> pending = new ArrayList<>();
        for (ParkedRecord r : records) {
            String sobject = sobjectOf(r.recordKey());
            if (sobject != null) {
                pending.add(new SummaryQueue.Pending(r.recordKey(), sobject));
            }
        }
        store.summaryQueue().add(pending);
        sink.flushSummaries();
        Set<String> written = new HashSet<>();
        for (ParkedRecord r : records) {
            // a refused write parks the record again (one more attempt); a retriable one leaves it queued
            boolean refusedAgain = store.parked().byId(r.id()).map(now -> now.attempts() != r.attempts()).orElse(false);
            if (sobjectOf(r.recordKey()) != null && !refusedAgain && !store.summaryQueue().contains(r.recordKey())) {
                written.add(r.recordKey());
            }
        }
        return written;
    }

    /** The object a Lead, Contact or Account id belongs to, from its key prefix; null for anything else. */
    static String sobjectOf(String sfId) {
        if (sfId == null || sfId.length() < 15) {
            return null;
        }
        return switch (sfId.substring(0, 3)) {
            case "00Q" -> "Lead";
            case "003" -> "Contact";
            case "001" -> "Account";
            default -> null;
        };
    }
}
