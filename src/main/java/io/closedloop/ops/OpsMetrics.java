package io.closedloop.ops;

import io.closedloop.state.ParkedRecords;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics worth alerting on, read from the state store at every scrape so they survive restarts, and present from
 * the first scrape (zero where nothing happened yet). While the store is away the last values stay and
 * {@code closedloop_state_store_up} is 0.
 */
public final class OpsMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(OpsMetrics.class);

    private final OpsView view;
    private final StateStoreAvailability store;
    private final AtomicReference<OpsView.Snapshot> last = new AtomicReference<>();
    private final MultiGauge parked;
    private final MultiGauge lastSuccess;
    private final MultiGauge cursorLag;
    private final MultiGauge runDuration;
    private final MultiGauge flowRunning;
    private final MultiGauge flowStopped;
    private boolean failing;

    private OpsMetrics(MeterRegistry registry, OpsView view, StateStoreAvailability store, Duration pollInterval) {
        this.view = view;
        this.store = store;
        parked = MultiGauge.builder("closedloop.parked.records")
                .description("Parked records by flow and reason code; state=waiting for a Salesforce match (retried automatically) or failed")
                .register(registry);
        lastSuccess = MultiGauge.builder("closedloop.last.success.timestamp.seconds")
                .description("When the flow's last successful poll ended (Unix seconds; 0: never)").register(registry);
        cursorLag = MultiGauge.builder("closedloop.cursor.lag.seconds")
                .description("How far the flow's cursor stands behind now (0: no cursor yet)").register(registry);
        runDuration = MultiGauge.builder("closedloop.run.duration.seconds")
                .description("How long the flow's last finished run took (0: none yet)").register(registry);
        flowRunning = MultiGauge.builder("closedloop.flow.running")
                .description("1 while the flow is on and neither stopped nor paused").register(registry);
        flowStopped = MultiGauge.builder("closedloop.flow.stopped")
                .description("1 while the flow is stopped for a fatal error (readiness DOWN, an operator must act)").register(registry);
        Gauge.builder("closedloop.sla.open", last, r -> r.get() == null ? 0 : r.get().sla().open())
                .description("Hand-off SLA clocks waiting for the first sales action").strongReference(true).register(registry);
        Gauge.builder("closedloop.sla.due.within.hour", last, r -> r.get() == null ? 0 : r.get().sla().dueSoon())
                .description("Open SLA clocks due within the next hour").strongReference(true).register(registry);
        FunctionCounter.builder("closedloop.sla.breached", last, r -> r.get() == null ? 0 : r.get().sla().breachedEver())
                .description("Hand-off SLA clocks that breached, from the state store").register(registry);
        Gauge.builder("closedloop.reverse_sla.open", last, r -> r.get() == null ? 0 : r.get().reverseSla().open())
                .description("Reverse SLA clocks: leads handed back to marketing, not yet acted on").strongReference(true).register(registry);
        FunctionCounter.builder("closedloop.reverse_sla.breached", last, r -> r.get() == null ? 0 : r.get().reverseSla().breached())
                .description("Reverse SLA clocks marketing did not act on in time, from the state store").register(registry);
        FunctionCounter.builder("closedloop.reverse_sla.met.ever", last, r -> r.get() == null ? 0 : r.get().reverseSla().met())
                .description("Reverse SLA clocks marketing met in time, from the state store").register(registry);
        Gauge.builder("closedloop.summary.queue.records", last, r -> r.get() == null ? 0 : r.get().summaries().records())
                .description("Leads, Contacts and Accounts whose summary fields wait to be written (CLOSEDLOOP_SUMMARY_INTERVAL holds them up to that long)")
                .strongReference(true).register(registry);
        Gauge.builder("closedloop.summary.queue.oldest.seconds", last, r -> r.get() == null ? 0 : r.get().oldestSummarySeconds())
                .description("How long the longest-waiting summary write has waited (0: none waits); above the interval and a poll, flushes are failing")
                .strongReference(true).register(registry);
        Gauge.builder("closedloop.state.store.up", store, s -> s.last().up() ? 1 : 0)
                .description("1 while the state store answers its probe").register(registry);
        Gauge.builder("closedloop.poll.interval.seconds", pollInterval, d -> d.toMillis() / 1000.0)
                .description("CLOSEDLOOP_POLL_INTERVAL, for alerts on missing successes").strongReference(true).register(registry);
    }

    /**
     * Registers the metrics without reading the store: {@link #refresh()} must run before each scrape, which fills them.
     * (Reading here made a first start wait for the store's migration before Camel was configured.)
     */
    public static OpsMetrics register(MeterRegistry registry, OpsView view, StateStoreAvailability store, Duration pollInterval) {
        return new OpsMetrics(registry, view, store, pollInterval);
    }

    /** Reads the store once; skipped while the store is known to be away, so a scrape never waits for it. */
    public synchronized void refresh() {
        if (!store.last().up()) {
            return;
        }
        OpsView.Snapshot snapshot;
        try {
            snapshot = view.snapshot();
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("metrics keep their last values: the state store did not answer ({})", e.getMessage());
            }
            failing = true;
            return;
        }
        failing = false;
        last.set(snapshot);
        List<MultiGauge.Row<?>> parkedRows = new ArrayList<>();
        for (ParkedRecords.Count c : snapshot.parked()) {
            String code = c.errorCode() == null ? c.errorKind().name() : c.errorCode();
            parkedRows.add(MultiGauge.Row.of(Tags.of("flow", c.flow(), "reason", code,
                    "state", ParkedRecords.UNMATCHED.equals(c.errorCode()) ? "waiting" : "failed"), c.count()));
        }
        for (OpsView.FlowStatus f : snapshot.flows()) {
            if (f.parked() == 0 && snapshot.parked().stream().noneMatch(c -> c.flow().equals(f.flow()))) {
                // a flow with nothing parked still has a series, so rate() and alerts see it from the first scrape
                parkedRows.add(MultiGauge.Row.of(Tags.of("flow", f.flow(), "reason", "none", "state", "failed"), 0));
            }
        }
        parked.register(parkedRows, true);
        List<MultiGauge.Row<?>> success = new ArrayList<>();
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> duration = new ArrayList<>();
        List<MultiGauge.Row<?>> running = new ArrayList<>();
        List<MultiGauge.Row<?>> stopped = new ArrayList<>();
        for (OpsView.FlowStatus f : snapshot.flows()) {
            Tags flow = Tags.of("flow", f.flow());
            running.add(MultiGauge.Row.of(flow, f.state().equals("running") ? 1 : 0));
            stopped.add(MultiGauge.Row.of(flow, f.state().equals("stopped") ? 1 : 0));
            if (f.recordsRuns()) {
                success.add(MultiGauge.Row.of(flow, f.lastSuccess() == null ? 0 : f.lastSuccess().toEpochMilli() / 1000.0));
                lag.add(MultiGauge.Row.of(flow, f.cursorLagSeconds() == null ? 0 : f.cursorLagSeconds()));
                duration.add(MultiGauge.Row.of(flow, f.lastRunSeconds()));
            }
        }
        lastSuccess.register(success, true);
        cursorLag.register(lag, true);
        runDuration.register(duration, true);
        flowRunning.register(running, true);
        flowStopped.register(stopped, true);
    }

    /** The last snapshot read (null before the first). */
    public OpsView.Snapshot last() {
        return last.get();
    }
}
