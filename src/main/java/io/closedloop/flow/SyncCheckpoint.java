package io.closedloop.flow;

import io.closedloop.core.DispositionBatch;

import io.closedloop.core.EngagementBatch;

import io.closedloop.ops.FlowHealth;
import io.closedloop.state.StateStore;
import io.closedloop.state.StateStoreException;
import io.closedloop.state.SyncRuns;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every source route: once the sink has written or parked every event of the batch,
 * the cursor moves and the run is recorded. A batch that failed never reaches this step.
 */
public class SyncCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCheckpoint.class);

    private final StateStore store;
    private final FlowHealth flowHealth;

    public SyncCheckpoint(StateStore store) {
        this(store, null);
    }

    public SyncCheckpoint(StateStore store, FlowHealth flowHealth) {
        this.store = store;
        this.flowHealth = flowHealth;
    }

    public void commit(EngagementBatch batch) {
        // the source's own state first: a crash before the cursor moves then only repeats already-written events
        batch.runCommitHook();
        if (batch.nextCursor() != null) {
            store.cursors().put(batch.source(), batch.nextCursor());
        }
        if (flowHealth != null) {
            io.closedloop.core.FlowId.ofParked(batch.source()).ifPresent(flowHealth::resumed);
        }
        io.closedloop.core.WriteOutcome o = batch.outcome();
        int read = batch.events().size() + (int) batch.countedOnly().values().stream().mapToLong(Long::longValue).sum();
        store.runs().finish(batch.runId(), SyncRuns.Status.SUCCEEDED, new SyncRuns.Counts(read,
                o == null ? 0 : o.written(), o == null ? 0 : o.parked(), (int) batch.hubspotCalls(),
                o == null ? 0 : (int) o.apiCalls()), null);
        if (o != null && (o.written() > 0 || o.parked() > 0)) {
            LOG.info("{}: read {}, wrote {}, parked {}, {} already written ({} HubSpot, {} Salesforce calls)", batch.source(),
                    read, o.written(), o.parked(), o.alreadyWritten(), batch.hubspotCalls(), o.apiCalls());
        }
    }

    /** A batch that failed: the run is recorded as failed and the cursor stays where it was. */
    public void fail(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        long runId = body instanceof DispositionBatch d ? d.runId() : body instanceof EngagementBatch e ? e.runId() : -1;
        if (runId < 0) {
            return;
        }
        String reason = cause == null ? "failed" : io.closedloop.log.Redactor.redact(String.valueOf(cause.getMessage()));
        try {
            store.runs().finish(runId, SyncRuns.Status.FAILED, SyncRuns.Counts.NONE, reason);
        } catch (StateStoreException e) {
            // the store itself is failing: the run is ended as abandoned when the daemon next starts
            LOG.warn("run {} could not be recorded as failed: {}", runId, e.getMessage());
        }
    }
}
