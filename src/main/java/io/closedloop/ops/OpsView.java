package io.closedloop.ops;

import io.closedloop.core.FlowId;
import io.closedloop.state.CursorStore;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.state.SlaClocks;
import io.closedloop.state.StateStore;
import io.closedloop.state.SummaryQueue;
import io.closedloop.state.SyncRuns;
import io.closedloop.state.TimeWindowCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the daemon is doing, read from the state store and the flows' health: the one source of the status page, its
 * JSON endpoints and the store-backed metrics. Ids and counts only, never a person's data.
 */
public final class OpsView {
    /** A flow as the status page shows it; {@code state} is running, paused, stopped or off. */
    public record FlowStatus(String flow, String group, String state, String reason, Instant until, boolean recordsRuns,
                             SyncRuns.SyncRun lastRun, Instant lastSuccess, SyncRuns.Counts last24h, Double cursorLagSeconds,
                             long parked) {
        public double lastRunSeconds() {
            return lastRun == null || lastRun.finishedAt() == null ? 0
                    : Duration.between(lastRun.startedAt(), lastRun.finishedAt()).toMillis() / 1000.0;
        }
    }

    public record Snapshot(Instant at, List<FlowStatus> flows, List<ParkedRecords.Count> parked, SlaClocks.Counts sla,
                           ReverseSlaClocks.Counts reverseSla, SummaryQueue.Backlog summaries) {
        /** How long the longest-waiting summary write has waited (0: none waits). */
        public double oldestSummarySeconds() {
            return summaries.oldest() == null ? 0 : Math.max(0, Duration.between(summaries.oldest(), at).toMillis() / 1000.0);
        }
    }

    private final StateStore store;
    private final FlowHealth health;
    private final Clock clock;
    private final Predicate<String> routeStarted;

    /** @param routeStarted whether a route is started (a flow whose trigger is not is off) */
    public OpsView(StateStore store, FlowHealth health, Clock clock, Predicate<String> routeStarted) {
        this.store = store;
        this.health = health;
        this.clock = clock;
        this.routeStarted = routeStarted;
    }

    /** Flows that poll a source: each poll is a recorded run, and the source keeps a cursor. */
    public static boolean recordsRuns(FlowId flow) {
        return flow.engagementSource() || flow == FlowId.SALESFORCE_DISPOSITIONS || flow == FlowId.SALESFORCE_CAMPAIGNS;
    }

    /** Flows the page lists: every flow with a route of its own. */
    public static List<FlowId> flows() {
        return List.of(FlowId.values()).stream().filter(f -> !f.routeIds().isEmpty()).toList();
    }

    /** Reads the store; a store failure propagates (callers show the last snapshot, or the outage). */
    public Snapshot snapshot() {
        Instant now = clock.instant();
        Map<String, SyncRuns.Latest> latest = store.runs().latest();
        Map<String, SyncRuns.Counts> day = store.runs().totalsSince(now.minus(Duration.ofDays(1)));
        Map<String, CursorStore.Stored> cursors = store.cursors().all();
        List<ParkedRecords.Count> parked = store.parked().summary();
        Map<String, FlowHealth.Stopped> stopped = health.stoppedFlows();
        Map<String, FlowHealth.Paused> paused = health.pausedFlows();
        List<FlowStatus> flows = new ArrayList<>();
        for (FlowId flow : flows()) {
            String state = "running";
            String reason = null;
            Instant until = null;
            for (String route : flow.routeIds()) {
                if (stopped.containsKey(route)) {
                    state = "stopped";
                    reason = stopped.get(route).reason();
                } else if (paused.containsKey(route) && !state.equals("stopped")) {
                    state = "paused";
                    reason = paused.get(route).reason();
                    until = paused.get(route).until();
                }
            }
            if (state.equals("running") && !routeStarted.test(flow.routeIds().get(0))) {
                state = "off";
            }
            SyncRuns.Latest last = latest.get(flow.key());
            long parkedCount = parked.stream().filter(c -> FlowId.ofParked(c.flow()).orElse(null) == flow)
                    .mapToLong(ParkedRecords.Count::count).sum();
            flows.add(new FlowStatus(flow.key(), flow.group().name().toLowerCase(java.util.Locale.ROOT), state, reason, until,
                    recordsRuns(flow), last == null ? null : last.lastFinished(), last == null ? null : last.lastSuccess(),
                    day.getOrDefault(flow.key(), SyncRuns.Counts.NONE), lag(cursors.get(flow.key()), now), parkedCount));
        }
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        SlaClocks.Counts sla = store.slaClocks().counts(now.plus(Duration.ofHours(1)), today);
        return new Snapshot(now, flows, parked, sla, store.reverseSlaClocks().counts(), store.summaryQueue().backlog());
    }

    /** How far behind now a source stands: its watermark for a time-window cursor, else when the cursor last moved. */
    static Double lag(CursorStore.Stored cursor, Instant now) {
        if (cursor == null) {
            return null;
        }
        Instant at = cursor.updatedAt();
        if (cursor.value().contains("watermark=")) {
            try {
                at = TimeWindowCursor.parse(cursor.value()).watermark();
            } catch (IllegalArgumentException e) {
                // another cursor form: when it last moved is the best measure
            }
        }
        return Math.max(0, Duration.between(at, now).toMillis() / 1000.0);
    }
}
