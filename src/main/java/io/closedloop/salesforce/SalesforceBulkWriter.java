package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.RetriableSyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts many records of one object through Bulk API 2.0 ingest jobs (salesforce-api.md §5): one CSV upload per
 * job, at most {@link #ROWS_PER_JOB} rows, then the results read back and matched to the writes by their external id,
 * never by position (§5.5). A row the job did not process comes back as a retriable failure.
 */
public class SalesforceBulkWriter {
    /** One Bulk batch is counted per 10,000 records (second-batch-notes §2): a job of that size costs one. */
    public static final int ROWS_PER_JOB = 10_000;
    static final String SUCCESSFUL = "successfulResults";
    static final String FAILED = "failedResults";
    static final String UNPROCESSED = "unprocessedrecords";

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceBulkWriter.class);

    private final SalesforceClient client;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final Duration maxWait;
    private final Clock clock;
    private long jobs;
    private Instant pausedUntil;

    /** Polls from 2 s, doubling up to 30 s (§5.4), for at most {@code maxWait} per job. */
    public SalesforceBulkWriter(SalesforceClient client) {
        this(client, Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(30));
    }

    public SalesforceBulkWriter(SalesforceClient client, Clock clock, Duration firstPoll, Duration maxPoll, Duration maxWait) {
        this.client = client;
        this.clock = clock;
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
        this.maxWait = maxWait;
    }

    /** Calls one job takes at the least: create, upload, close, one status poll, the successful results (§5). */
    public static final int CALLS_PER_JOB = 5;

    /** How many jobs {@link #write} creates for {@code rows} rows (for {@code plan}). */
    public static long jobsFor(long rows) {
        return (rows + ROWS_PER_JOB - 1) / ROWS_PER_JOB;
    }

    /** Whether every write is an upsert of one object by one external id field, as one job requires. */
    public static boolean fits(List<SalesforceWrite> writes) {
        return !writes.isEmpty() && writes.stream().allMatch(SalesforceWrite::upsert)
                && writes.stream().map(SalesforceWrite::group).distinct().count() == 1;
    }

    /** False while the daily Bulk allocation is known to be spent. */
    public synchronized boolean available() {
        return pausedUntil == null || !clock.instant().isBefore(pausedUntil);
    }

    /** Ingest jobs created so far. */
    public synchronized long jobs() {
        return jobs;
    }

    /** One result per write, in jobs of at most {@link #ROWS_PER_JOB} rows sorted by parent so that rows of one parent share a job. */
    public List<SalesforceWriteResult> write(List<SalesforceWrite> writes) {
        if (!fits(writes)) {
            throw new IllegalArgumentException("a Bulk job takes upserts of one object by one external id field");
        }
        List<SalesforceWrite> sorted = new ArrayList<>(writes);
        // UNABLE_TO_LOCK_ROW comes from parallel batches touching one parent (second-batch-notes §2)
        sorted.sort(Comparator.comparing(SalesforceBulkWriter::parentKey));
        List<SalesforceWriteResult> out = new ArrayList<>(writes.size());
        for (int from = 0; from < sorted.size(); from += ROWS_PER_JOB) {
            out.addAll(job(sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_JOB))));
        }
        return out;
    }

    private List<SalesforceWriteResult> job(List<SalesforceWrite> writes) {
        SalesforceWrite first = writes.get(0);
        String extField = first.externalIdField();
        Map<String, SalesforceWrite> byExternalId = new LinkedHashMap<>();
        writes.forEach(w -> byExternalId.put(String.valueOf(w.fields().get(extField)), w));
        String jobId = client.bulkCreateUpsertJob(first.sobject(), extField).path("id").asText();
        synchronized (this) {
            jobs++;
        }
        client.bulkUpload(jobId, SalesforceBulkCsv.write(extField, writes));
        client.bulkClose(jobId);
        JsonNode status = await(jobId);
        if ("Failed".equals(status.path("state").asText())) {
            String message = status.path("errorMessage").asText("no reason given");
            if (message.startsWith("ExceededQuota")) {
                // the daily Bulk allocation is spent: no Bulk job until the recheck; the rows go again, through Collections
                synchronized (this) {
                    pausedUntil = clock.instant().plus(SalesforceBudget.RECHECK);
                }
                LOG.warn("Salesforce Bulk API allocation spent (job {}): Bulk jobs paused until {}", jobId, pausedUntil);
                Classification spent = new Classification(ErrorKind.RETRIABLE, "BULK_ALLOCATION_SPENT", Duration.ZERO,
                        "Salesforce Bulk API job " + jobId + " failed: " + message);
                return writes.stream().map(w -> new SalesforceWriteResult(w, null, null, spent)).toList();
            }
            throw new RetriableSyncException("BULK_JOB_FAILED", "Salesforce Bulk API job " + jobId + " failed: " + message, null);
        }
        List<SalesforceWriteResult> out = new ArrayList<>(writes.size());
        int processed = status.path("numberRecordsProcessed").asInt(-1);
        if (processed != 0) {
            for (Map<String, String> row : SalesforceBulkCsv.read(client.bulkResults(jobId, SUCCESSFUL))) {
                SalesforceWrite w = byExternalId.remove(row.get(extField));
                if (w != null) {
                    out.add(new SalesforceWriteResult(w, row.get("sf__Id"), Boolean.valueOf(row.get("sf__Created")), null));
                }
            }
        }
        if (status.path("numberRecordsFailed").asInt(-1) != 0) {
            for (Map<String, String> row : SalesforceBulkCsv.read(client.bulkResults(jobId, FAILED))) {
                SalesforceWrite w = byExternalId.remove(row.get(extField));
                if (w != null) {
                    out.add(new SalesforceWriteResult(w, null, null, failure(row.get("sf__Error"))));
                }
            }
        }
        // rows in neither list were not processed (unprocessedrecords, §5.5): written again in the next round
        Classification unprocessed = SalesforceErrorClassifier.classifyCode("UNABLE_TO_LOCK_ROW",
                "not processed by Bulk API job " + jobId);
        byExternalId.values().forEach(w -> out.add(new SalesforceWriteResult(w, null, null, unprocessed)));
        LOG.info("Salesforce Bulk API job {}: {} rows, {} written, {} failed, {} not processed", jobId, writes.size(),
                out.stream().filter(SalesforceWriteResult::success).count(),
                out.stream().filter(r -> !r.success() && r.failure() != unprocessed).count(), byExternalId.size());
        return out;
    }

    /** Polls the job until it is JobComplete, Failed or Aborted, backing off from {@code firstPoll} to {@code maxPoll}. */
    private JsonNode await(String jobId) {
        Duration delay = firstPoll;
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            sleep(delay);
            JsonNode status = client.bulkJob(jobId);
            String state = status.path("state").asText();
            if ("JobComplete".equals(state) || "Failed".equals(state) || "Aborted".equals(state)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                // the rows are upserts by external id: writing them again in a new job creates no duplicate
                throw new RetriableSyncException("BULK_JOB_TIMEOUT", "Salesforce Bulk API job " + jobId + " still " + state
                        + " after " + maxWait.toSeconds() + " s", null);
            }
            delay = delay.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : delay.multipliedBy(2);
        }
    }

    /** {@code STATUS_CODE:message} (§5.5) into the same classification a Collections error gets. */
    static Classification failure(String sfError) {
        String text = sfError == null ? "" : sfError.strip();
        int colon = text.indexOf(':');
        String code = colon > 0 ? text.substring(0, colon) : "UNKNOWN_ERROR";
        String message = colon > 0 ? text.substring(colon + 1) : text;
        return SalesforceErrorClassifier.classifyCode(code, message.endsWith(" --") ? message.substring(0, message.length() - 3) : message);
    }

    private static String parentKey(SalesforceWrite w) {
        for (String field : List.of(SalesforceNames.ACTIVITY_ACCOUNT, SalesforceNames.ACTIVITY_CONTACT, SalesforceNames.ACTIVITY_LEAD)) {
            Object v = w.fields().get(field);
            if (v != null) {
                return v.toString();
            }
        }
        return "";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSyncException("INTERRUPTED", "interrupted while waiting for a Bulk API job", e);
        }
    }
}
