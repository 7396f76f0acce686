package io.closedloop.salesforce;

import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.RetriableSyncException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records in Composite calls of sObject Collections, or in Bulk API 2.0 jobs above a threshold, and reads
 * every per-record result: a fatal one stops the batch, retriable ones are written again in a few backed-off rounds,
 * and the rest are handed back as refused.
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
    private final SalesforceBulkWriter bulk;
    private final int bulkThreshold;

    public SalesforceActivityWriter(SalesforceClient client, String apiVersion, Duration retryBackoff) {
        this(client, apiVersion, retryBackoff, null, Integer.MAX_VALUE);
    }

    /** @param bulkThreshold more writes than this in one round go through {@code bulk} (when it is available) */
    public SalesforceActivityWriter(SalesforceClient client, String apiVersion, Duration retryBackoff, SalesforceBulkWriter bulk,
                                    int bulkThreshold) {
        this.client = client;
        this.apiVersion = apiVersion;
        this.retryBackoff = retryBackoff;
        this.bulk = bulk;
        this.bulkThreshold = bulkThreshold;
    }

    /** More writes than this in one round go through Bulk API 2.0 (the live flow's threshold). */
    public int bulkThreshold() {
        return bulkThreshold;
    }

    /** Writes, retries per-record retriable failures, and reports each round's results to {@code results}. */
    public Tally write(List<SalesforceWrite> writes, Results results) {
        return write(writes, results, bulkThreshold);
    }

    /** As {@link #write(List, Results)}, with Bulk API 2.0 above {@code bulkThreshold} writes (a backfill's own threshold). */
    public Tally write(List<SalesforceWrite> writes, Results results, int bulkThreshold) {
        int written = 0;
        int refused = 0;
        List<SalesforceWrite> pending = writes;
        for (int round = 0; round <= RECORD_RETRIES && !pending.isEmpty(); round++) {
            if (round > 0) {
                sleep(retryBackoff.multipliedBy(round));
            }
            List<SalesforceWrite> retry = new ArrayList<>();
            List<SalesforceWriteResult> done = new ArrayList<>();
            for (SalesforceWriteResult r : send(pending, bulkThreshold)) {
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
            results.written(done);
            written += done.size();
            pending = retry;
        }
        return new Tally(written, refused);
    }

    /** Above the Bulk threshold, upserts of one object go through Bulk API 2.0 jobs; else through Composite calls. */
    private List<SalesforceWriteResult> send(List<SalesforceWrite> writes, int bulkThreshold) {
        if (bulk != null && writes.size() > bulkThreshold && bulk.available() && SalesforceBulkWriter.fits(writes)) {
            return bulk.write(writes);
        }
        return SalesforceCompositePlanner.send(client, SalesforceCompositePlanner.plan(apiVersion, writes));
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
