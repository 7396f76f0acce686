package io.closedloop.flow.engagement;

import io.closedloop.flow.SalesforceSchemaGate;

import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.state.StateStore;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementEventCodec;
import io.closedloop.flow.replay.ParkedReplay;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays parked Flow 1 engagement ({@code hubspot-*} flows) through the activity sink, exactly as a fresh event:
 * the ledger drops what is already written, a {@code task:} key brings only its missing Task, and what fails again
 * is parked again by the sink with Salesforce's new reason.
 */
public class SalesforceActivityReplay implements ParkedReplay.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceActivityReplay.class);

    private final SalesforceSchemaGate schemaGate;
    private final SalesforceActivitySink sink;
    private final StateStore store;

    public SalesforceActivityReplay(SalesforceSchemaGate schemaGate, SalesforceActivitySink sink, StateStore store) {
        this.schemaGate = schemaGate;
        this.sink = sink;
        this.store = store;
    }

    @Override
    public Set<String> replay(String flow, List<ParkedRecord> records) {
        // the same gate as every poll: nothing is written while Salesforce lacks a field Flow 1 writes
        schemaGate.verify();
        List<EngagementEvent> events = new ArrayList<>();
        for (ParkedRecord r : records) {
            try {
                events.add(EngagementEventCodec.fromJson(r.payload()));
            } catch (IllegalArgumentException e) {
                LOG.warn("parked record {} of flow {} holds no engagement event; left parked", r.id(), flow);
            }
        }
        if (!events.isEmpty()) {
            sink.write(flow, events);
        }
        return store.ledger().existing(records.stream().map(ParkedRecord::recordKey).toList());
    }
}
