package io.closedloop.flow.engagement;

import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FlowId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries parked engagement that may succeed later: people not yet in Salesforce (a rep may create the Lead, a
 * sync may bring the Contact) and retriable failures that ran out of attempts. Each record goes through the same
 * sink as a fresh event; what is written is marked resolved, the rest stays parked with its attempts counted.
 */
public class SalesforceUnmatchedRetry {
    /** Result of one retry run. */
    public record Outcome(int retried, int resolved) {
    }

    static final int BATCH = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceUnmatchedRetry.class);

    private final StateStore store;
    private final SalesforceActivityReplay writer;

    public SalesforceUnmatchedRetry(StateStore store, SalesforceActivityReplay writer) {
        this.store = store;
        this.writer = writer;
    }

    public Outcome retry() {
        List<ParkedRecords.ParkedRecord> due = new ArrayList<>();
        ParkedRecords.Filter parked = new ParkedRecords.Filter(null, null, null, null, null, ParkedRecords.Status.PARKED);
        for (ParkedRecords.ParkedRecord r : store.parked().list(parked, BATCH * 5)) {
            if (FlowId.ofParked(r.flow()).filter(FlowId::engagementSource).isPresent() && ("UNMATCHED".equals(r.errorCode()) || r.errorKind() == ErrorKind.RETRIABLE)) {
                due.add(r);
            }
            if (due.size() == BATCH) {
                break;
            }
        }
        Map<String, List<ParkedRecords.ParkedRecord>> byFlow = new LinkedHashMap<>();
        due.forEach(r -> byFlow.computeIfAbsent(r.flow(), f -> new ArrayList<>()).add(r));
        int resolved = 0;
        for (var entry : byFlow.entrySet()) {
            // the same write path as `replay`: decode, write through the sink, read back from the ledger what is written
            Set<String> written = writer.replay(entry.getKey(), entry.getValue());
            for (ParkedRecords.ParkedRecord r : entry.getValue()) {
                if (written.contains(r.recordKey())) {
                    store.parked().markResolved(r.id());
                    resolved++;
                }
            }
        }
        if (!due.isEmpty()) {
            LOG.info("retried {} parked records, {} now written", due.size(), resolved);
        }
        return new Outcome(due.size(), resolved);
    }
}
