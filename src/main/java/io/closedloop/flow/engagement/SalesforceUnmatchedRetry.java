package io.closedloop.flow.engagement;

import io.closedloop.core.FlowId;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries parked engagement that may succeed later: people not yet in Salesforce (a rep may create the Lead, a
 * sync may bring the Contact) and retriable failures that ran out of attempts. Each run walks every record that is
 * due, page by page, through the same sink as a fresh event; what is written is marked resolved, the rest waits
 * for its next attempt with a backoff that doubles up to a cap.
 */
public class SalesforceUnmatchedRetry {
    /** Result of one retry run. */
    public record Outcome(int retried, int resolved) {
    }

    static final int BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceUnmatchedRetry.class);
    /** The engagement sources' keys, and their route ids under which older stores parked whole-batch failures. */
    static final Set<String> FLOWS = Stream.of(FlowId.values()).filter(FlowId::engagementSource)
            .flatMap(f -> Stream.concat(Stream.of(f.key()), f.routeIds().stream()))
            .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));

    private final StateStore store;
    private final SalesforceActivityReplay writer;
    private final SalesforceUnmatchedBackoff backoff;
    private final Clock clock;

    public SalesforceUnmatchedRetry(StateStore store, SalesforceActivityReplay writer, SalesforceUnmatchedBackoff backoff, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.backoff = backoff;
        this.clock = clock;
    }

    public Outcome retry() {
        // what falls due while the run goes waits for the next run, so one run always ends
        Instant now = clock.instant();
        int retried = 0;
        int resolved = 0;
        long after = 0;
        for (List<ParkedRecord> page = store.parked().due(FLOWS, now, after, BATCH); !page.isEmpty();
                page = store.parked().due(FLOWS, now, after, BATCH)) {
            after = page.get(page.size() - 1).id();
            resolved += retryPage(page, now);
            retried += page.size();
        }
        if (retried > 0) {
            LOG.info("retried {} parked records, {} now written", retried, resolved);
        }
        return new Outcome(retried, resolved);
    }

    /** One page: written records are resolved, the others get their next attempt, each in one batched statement. */
    private int retryPage(List<ParkedRecord> page, Instant now) {
        Map<String, List<ParkedRecord>> byFlow = new LinkedHashMap<>();
        page.forEach(r -> byFlow.computeIfAbsent(r.flow(), f -> new ArrayList<>()).add(r));
        List<Long> written = new ArrayList<>();
        List<ParkedRecords.Retry> again = new ArrayList<>();
        for (var entry : byFlow.entrySet()) {
            // the same write path as `replay`: decode, write through the sink, read back from the ledger what is written
            Set<String> done = writer.replay(entry.getKey(), entry.getValue());
            for (ParkedRecord r : entry.getValue()) {
                if (done.contains(r.recordKey())) {
                    written.add(r.id());
                } else {
                    again.add(new ParkedRecords.Retry(r.id(), backoff.next(now, r.attempts()), r.lastSeen()));
                }
            }
        }
        store.parked().markResolved(written);
        store.parked().scheduleRetries(again);
        return written.size();
    }
}
