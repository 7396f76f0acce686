package io.closedloop.flow.feedback;

import io.closedloop.core.DispositionBatch;
import io.closedloop.core.DispositionPlan;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.state.SqlMoments;
import java.time.Instant;

/**
 * The feedback flow's dry run, for {@code plan}: reads what the next poll would read (from the cursor, or from a
 * given instant), looks the contacts up in HubSpot, and counts what the writer would send, park and leave; it writes
 * nothing to HubSpot, Salesforce, the cursors or the parked records, and skips the property setup (which writes).
 */
public class FeedbackPlanner {
    /** The window read and what it would come to. */
    public record Result(Instant from, DispositionPlan plan, long salesforceReads, int sqlMoments) {
    }

    public static final String BEAN = "feedbackPlanner";

    private final SalesforceDispositionReader reader;
    private final HubSpotDispositionWriter writer;
    private final SqlMoments sqlMoments;

    public FeedbackPlanner(SalesforceDispositionReader reader, HubSpotDispositionWriter writer, SqlMoments sqlMoments) {
        this.reader = reader;
        this.writer = writer;
        this.sqlMoments = sqlMoments;
    }

    /** @param since where to start reading, or null for the window the next poll would read */
    public Result plan(Instant since, int samples) {
        Instant from = since != null ? since : reader.nextWindowStart();
        DispositionBatch batch = reader.preview(from);
        // new SQL moments: Leads that qualify now and have none recorded yet
        java.util.Set<String> recorded = sqlMoments.recorded(batch.qualified().stream().map(q -> q.leadId()).toList());
        int sql = (int) batch.qualified().stream().filter(q -> !recorded.contains(q.leadId())).count();
        return new Result(from, writer.plan(batch, samples), batch.salesforceCalls(), sql);
    }
}
