package io.closedloop.flow.backfill;

import io.closedloop.core.WriteOutcome;
import java.util.function.LongSupplier;

/** What a backfill did so far: records read, written, parked, windows, pauses, and the API calls and Bulk jobs it spent. */
public final class BackfillTotals {
    private final LongSupplier salesforceCalls;
    private final LongSupplier hubspotCalls;
    private final LongSupplier bulkJobs;
    private final long salesforceCallsBefore;
    private final long hubspotCallsBefore;
    private final long bulkJobsBefore;
    private long read;
    private long written;
    private long parked;
    private long alreadyWritten;
    private long windowsDone;
    private long windowsTotal;
    private long pauses;
    private long dispositionsSent;
    private long dispositionsParked;

    public BackfillTotals(LongSupplier salesforceCalls, LongSupplier hubspotCalls, LongSupplier bulkJobs) {
        this.salesforceCalls = salesforceCalls;
        this.hubspotCalls = hubspotCalls;
        this.bulkJobs = bulkJobs;
        this.salesforceCallsBefore = salesforceCalls.getAsLong();
        this.hubspotCallsBefore = hubspotCalls.getAsLong();
        this.bulkJobsBefore = bulkJobs.getAsLong();
    }

    synchronized void read(long n) {
        read += n;
    }

    synchronized void add(WriteOutcome o) {
        written += o.written();
        parked += o.parked();
        alreadyWritten += o.alreadyWritten();
    }

    synchronized void windowDone() {
        windowsDone++;
    }

    synchronized void paused() {
        pauses++;
    }

    public synchronized void windowsTotal(long n) {
        windowsTotal = n;
    }

    public synchronized void dispositions(int sent, int parkedCount) {
        dispositionsSent += sent;
        dispositionsParked += parkedCount;
    }

    public synchronized long read() {
        return read;
    }

    public synchronized long written() {
        return written;
    }

    public synchronized long parked() {
        return parked;
    }

    public synchronized long alreadyWritten() {
        return alreadyWritten;
    }

    public synchronized long windowsDone() {
        return windowsDone;
    }

    public synchronized long windowsTotal() {
        return windowsTotal;
    }

    public synchronized long pauses() {
        return pauses;
    }

    public synchronized long dispositionsSent() {
        return dispositionsSent;
    }

    public synchronized long dispositionsParked() {
        return dispositionsParked;
    }

    public long salesforceCalls() {
        return salesforceCalls.getAsLong() - salesforceCallsBefore;
    }

    public long hubspotCalls() {
        return hubspotCalls.getAsLong() - hubspotCallsBefore;
    }

    public long bulkJobs() {
        return bulkJobs.getAsLong() - bulkJobsBefore;
    }

    /** One line for logs and the end of the run. */
    public String summary() {
        return "read " + read() + ", wrote " + written() + ", parked " + parked() + ", already written " + alreadyWritten()
                + ", dispositions sent " + dispositionsSent() + " (parked " + dispositionsParked() + "), windows " + windowsDone()
                + "/" + windowsTotal() + ", Salesforce calls " + salesforceCalls() + ", Bulk jobs " + bulkJobs()
                + ", HubSpot calls " + hubspotCalls() + ", pauses " + pauses();
    }
}
