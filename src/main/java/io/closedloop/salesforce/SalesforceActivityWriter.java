package io.closedloop.salesforce;

import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.RetriableSyncException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records in Composite calls of sObject Collections and reads every per-record result: a fatal one stops
 * the batch, retriable ones are written again in a few backed-off rounds, and the rest are handed back as refused.
 */
public class SalesforceActivityWriter {
    /** Retry rounds for per-record retriable failures (row locks) within one batch. */
    static final int RECORD_RETRIES = 3;

    /** What the caller does with the results, as they come. */
    public interface Results {
        /** A record Salesforce refused for good: not retriable, or out of retry rounds. */
        void refused(SalesforceWriteResult result);

        /** The records one round wrote, once all of the round's calls are read. */
        void written(List<SalesforceWriteResult> results);
    }

    /** How many records were written and how many refused, over all rounds. */
    public record Tally(int written, int refused) {
    }

    private final SalesforceClient client;
    private final String apiVersion;
    private final Duration retryBackoff;

    public SalesforceActivityWriter(SalesforceClient client, String apiVersion, Duration retryBackoff) {
        this.client = client;
        this.apiVersion = apiVersion;
        this.retryBackoff = retryBackoff;
    }

    /** Writes, retries per-record retriable failures, and reports each round's results to {@code results}. */
    public Tally write(List<SalesforceWrite> writes, Results results) {
        int written = 0;
        int refused = 0;
        List<SalesforceWrite> pending = writes;
        for (int round = 0; round <= RECORD_RETRIES && !pending.isEmpty(); round++) {
            if (round > 0) {
                sleep(retryBackoff.multipliedBy(round));
            }
            List<SalesforceWrite> retry = new ArrayList<>();
            List<SalesforceWriteResult> done = new ArrayList<>();
            for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, pending)) {
                for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                    if (r.success()) {
                        done.add(r);
                        continue;
                    }
                    Classification c = r.failure();
                    if (c.kind() == ErrorKind.FATAL) {
                        throw new FatalSyncException(c.code(), c.message(), null);
                    }
                    if (c.kind() == ErrorKind.RETRIABLE && round < RECORD_RETRIES) {
                        retry.add(r.write());
                    } else {
                        results.refused(r);
                        refused++;
                    }
                }
            }
            results.written(done);
            written += done.size();
            pending = retry;
        }
        return new Tally(written, refused);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSyncException("INTERRUPTED", "interrupted while backing off", e);
        }
    }
}
