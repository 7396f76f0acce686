package io.closedloop.sandbox.salesforce;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The daily Bulk API allocations (second-batch-notes §2): records per day and batches per day, where an ingest job
 * counts one batch per 10,000 records. A day here is the UTC day of the org's clock, not a rolling 24 h.
 */
public final class SalesforceBulkAllocation {
    static final int RECORDS_PER_BATCH = 10_000;

    private final Clock clock;
    private long maxRecords = 150_000_000;
    private long maxBatches = 15_000;
    private long records;
    private long batches;
    private LocalDate day;

    SalesforceBulkAllocation(Clock clock) {
        this.clock = clock;
    }

    /** Sets both daily maxima (tests of a nearly spent allocation). */
    public synchronized void limits(long maxRecords, long maxBatches) {
        this.maxRecords = maxRecords;
        this.maxBatches = maxBatches;
    }

    /** Takes what a job of {@code rows} records costs, or nothing and false when either allocation would be exceeded. */
    synchronized boolean consume(int rows) {
        roll();
        long jobBatches = Math.max(1, (rows + RECORDS_PER_BATCH - 1) / RECORDS_PER_BATCH);
        if (records + rows > maxRecords || batches + jobBatches > maxBatches) {
            return false;
        }
        records += rows;
        batches += jobBatches;
        return true;
    }

    public synchronized long batchesRemaining() {
        roll();
        return Math.max(0, maxBatches - batches);
    }

    public synchronized long maxBatches() {
        return maxBatches;
    }

    public synchronized long recordsToday() {
        roll();
        return records;
    }

    private void roll() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(day)) {
            day = today;
            records = 0;
            batches = 0;
        }
    }
}
