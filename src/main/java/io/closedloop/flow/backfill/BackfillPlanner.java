package io.closedloop.flow.backfill;

import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementPlan;
import io.closedloop.core.WriteOutcome;
import io.closedloop.flow.engagement.EngagementPlanner;
import io.closedloop.salesforce.SalesforceBulkWriter;
import io.closedloop.salesforce.SalesforceCompositePlanner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The backfill's engagement sink for {@code plan --backfill}: each chunk the backfill reads is counted by the live
 * planner's rules (the ledger, one batched identity look-up) and, like {@code SalesforceActivityWriter}, sent to Bulk
 * API 2.0 when it holds more activities than the threshold; nothing is written anywhere.
 */
final class BackfillPlanner implements Backfill.EngagementSink {
    private record Pending(String source, int activities, boolean bulk, long taskCalls) {
    }

    private final EngagementPlanner planner;
    private final int bulkThreshold;
    private final BooleanSupplier bulkAvailable;
    private final Duration reread;
    private final BackfillPlan plan;
    private final Set<String> touched = new HashSet<>();
    private final Map<String, Map<String, Instant>> planned = new HashMap<>();
    private final List<Pending> window = new ArrayList<>();

    /**
     * @param reread how far before a finished window's end a later read may reach again (overlaps, sweeps): events
     *               planned that long ago are forgotten, so memory follows the window, not the range
     */
    BackfillPlanner(EngagementPlanner planner, int bulkThreshold, BooleanSupplier bulkAvailable, Duration reread, BackfillPlan plan) {
        this.planner = planner;
        this.bulkThreshold = bulkThreshold;
        this.bulkAvailable = bulkAvailable;
        this.reread = reread;
        this.plan = plan;
    }

    @Override
    public WriteOutcome write(String flow, List<EngagementEvent> events) {
        Map<String, Instant> seen = planned.computeIfAbsent(flow, k -> new HashMap<>());
        List<EngagementEvent> fresh = new ArrayList<>();
        for (EngagementEvent e : events) {
            // read again in an overlap: the backfill finds it in the ledger (or parked) by then, and counts it once
            if (seen.putIfAbsent(e.id(), e.occurredAt()) == null) {
                fresh.add(e);
            }
        }
        int repeats = events.size() - fresh.size();
        EngagementPlan chunk = planner.plan(flow, fresh, touched);
        plan.add(flow, events.size(), repeats, chunk);
        int activities = chunk.activityCount();
        if (activities > 0 || chunk.tasks() > 0) {
            // SalesforceActivityWriter's rule: more writes than the threshold in one round go to a Bulk job
            window.add(new Pending(flow, activities, activities > bulkThreshold && bulkAvailable.getAsBoolean(),
                    SalesforceCompositePlanner.calls(chunk.tasks())));
        }
        return new WriteOutcome(events.size(), chunk.alreadyWritten() + repeats, 0, 0, 0);
    }

    @Override
    public void windowDone(String flow, Instant end) {
        for (Pending p : window) {
            long jobs = p.bulk() ? SalesforceBulkWriter.jobsFor(p.activities()) : 0;
            long calls = p.bulk() ? 0 : SalesforceCompositePlanner.calls(p.activities());
            plan.write(new BackfillPlan.Write(p.source(), end, p.activities(), p.bulk(), jobs, calls), p.taskCalls());
        }
        window.clear();
        plan.windowDone();
        Instant forget = end.minus(reread);
        planned.getOrDefault(flow, new HashMap<>()).values().removeIf(at -> at.isBefore(forget));
    }
}
