package io.closedloop.flow.backfill;

import io.closedloop.core.DispositionPlan;
import io.closedloop.core.EngagementPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code closedloop backfill} would do over a range, for {@code plan --backfill}: per source what it would read,
 * write and park, how each window's activities would go to Salesforce (one Bulk API 2.0 job or Composite calls), what
 * the feedback flow would send to HubSpot, and the writes' API calls. Counted by the backfill's own readers and rules.
 */
public final class BackfillPlan {
    /** One engagement source over the range. */
    public static final class Source {
        private long read;
        private long repeats;
        private long alreadyWritten;
        private final Map<String, Long> activities = new TreeMap<>();
        private final Map<String, Long> parked = new TreeMap<>();
        private long tasks;

        public long read() {
            return read;
        }

        /** Events a later window or chunk reads again (its overlap): the backfill finds them written already. */
        public long repeats() {
            return repeats;
        }

        public long alreadyWritten() {
            return alreadyWritten;
        }

        public Map<String, Long> activities() {
            return activities;
        }

        public long activityCount() {
            return activities.values().stream().mapToLong(Long::longValue).sum();
        }

        public Map<String, Long> parked() {
            return parked;
        }

        public long tasks() {
            return tasks;
        }
    }

    /**
     * One write of activities: a chunk of a window (a window is one chunk unless it holds more than CLOSEDLOOP_POLL_CHUNK).
     * @param bulk whether it goes through a Bulk API 2.0 ingest job (more than SALESFORCE_BULK_THRESHOLD activities)
     */
    public record Write(String source, Instant windowEnd, int activities, boolean bulk, long bulkJobs, long compositeCalls) {
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<Write> writes = new ArrayList<>();
    private long bulkJobs;
    private long compositeCalls;
    private long taskCalls;
    private long summaryRecords;
    private long windows;
    private DispositionPlan feedback;
    private long feedbackSalesforceReads;
    private boolean feedbackPlanned;

    /** The source's counts, created on first use in the order the backfill reads the sources. */
    public Source source(String key) {
        return sources.computeIfAbsent(key, k -> new Source());
    }

    void add(String source, long read, long repeats, EngagementPlan chunk) {
        Source s = source(source);
        s.read += read;
        s.repeats += repeats;
        s.alreadyWritten += chunk.alreadyWritten();
        chunk.activities().forEach((type, n) -> s.activities.merge(type, (long) n, Long::sum));
        chunk.parked().forEach((code, n) -> s.parked.merge(code, (long) n, Long::sum));
        s.tasks += chunk.tasks();
        summaryRecords += chunk.summaryRecords();
    }

    void write(Write w, long tasksCalls) {
        if (w.activities() > 0) {
            writes.add(w);
        }
        bulkJobs += w.bulkJobs();
        compositeCalls += w.compositeCalls();
        taskCalls += tasksCalls;
    }

    void windowDone() {
        windows++;
    }

    void feedback(DispositionPlan chunk, long salesforceReads) {
        feedbackPlanned = true;
        feedbackSalesforceReads += salesforceReads;
        feedback = feedback == null ? chunk : new DispositionPlan(feedback.read() + chunk.read(), feedback.sent() + chunk.sent(),
                feedback.propertyUpdates() + chunk.propertyUpdates(), feedback.notes() + chunk.notes(),
                feedback.unchanged() + chunk.unchanged(), feedback.awaitingContact() + chunk.awaitingContact(),
                feedback.parkedUnmapped() + chunk.parkedUnmapped(), feedback.unmapped() + chunk.unmapped(),
                feedback.hubspotReads() + chunk.hubspotReads(), feedback.hubspotWrites() + chunk.hubspotWrites(), Map.of());
    }

    void planningFeedback() {
        feedbackPlanned = true;
    }

    public Map<String, Source> sources() {
        return sources;
    }

    /** Every write of activities with at least one activity, in the order the backfill would make them. */
    public List<Write> writes() {
        return writes;
    }

    /** Bulk API 2.0 ingest jobs for the activities. */
    public long bulkJobs() {
        return bulkJobs;
    }

    /** Composite calls for the activities written below the Bulk threshold. */
    public long compositeCalls() {
        return compositeCalls;
    }

    /** Composite calls for the key-moment Tasks. */
    public long taskCalls() {
        return taskCalls;
    }

    /** Leads and Contacts whose summary fields the backfill recomputes once at the end (their Accounts too). */
    public long summaryRecords() {
        return summaryRecords;
    }

    public long windows() {
        return windows;
    }

    /** Whether the feedback flow was planned (--flows included it). */
    public boolean feedbackPlanned() {
        return feedbackPlanned;
    }

    /** What the feedback flow would send, summed over its windows; null when it read nothing. */
    public DispositionPlan feedback() {
        return feedback;
    }

    public long feedbackSalesforceReads() {
        return feedbackSalesforceReads;
    }

    /** Salesforce calls the writes would take: Composite calls, Bulk jobs (at their fewest calls) and the summary fields. */
    public long salesforceWrites() {
        return compositeCalls + taskCalls + bulkJobs * io.closedloop.salesforce.SalesforceBulkWriter.CALLS_PER_JOB
                + io.closedloop.salesforce.SalesforceCompositePlanner.calls(summaryRecords);
    }

    /** HubSpot calls the feedback writes would take (contact updates and notes in batches). */
    public long hubspotWrites() {
        return feedback == null ? 0 : feedback.hubspotWrites();
    }
}
