package io.closedloop.sandbox.bench;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingsLoader;
import io.closedloop.core.FlowId;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.flow.backfill.Backfill;
import io.closedloop.flow.backfill.BackfillJob;
import io.closedloop.flow.backfill.BackfillTotals;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@code bench --mode backfill}: {@code closedloop backfill}'s machinery over a seeded history of email events. */
final class BenchBackfill {
    private final BenchWorld world;
    private final Path dir;
    private final Duration window;
    private final Duration history;
    private final PrintWriter out;
    private final Map<String, String> overrides;
    private int retries;

    /** @param overrides the bench's {@code --set} settings */
    BenchBackfill(BenchWorld world, Path dir, Duration window, Duration history, PrintWriter out, Map<String, String> overrides) {
        this.overrides = overrides;
        this.world = world;
        this.dir = dir;
        this.window = window;
        this.history = history;
        this.out = out;
    }

    void run(int events, BenchReport report, ProcessMeter meter) throws Exception {
        world.send("history " + events + " " + history.toMillis());
        Map<String, String> env = Sandbox.daemonEnv(world.ready().path("hubspot").asText(), world.ready().path("salesforce").asText(),
                dir.resolve("daemon"), BenchCommand.freePort(), Duration.ofSeconds(30));
        env.putAll(overrides);
        ClosedloopSettings settings = SettingsLoader.loadEnvironmentOnly(env);
        Map<String, String> properties = new HashMap<>(ClosedloopRuntime.replayOnly());
        properties.put("camel.main.name", "closedloop-backfill");
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        long started = System.currentTimeMillis();
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, clock, ClosedloopRuntime.ROUTES, properties)) {
            runtime.start();
            BackfillJob job = new BackfillJob(settings, runtime.store(), clock, runtime.camelContext().getRegistry(), listener(meter),
                    d -> Thread.sleep(d.toMillis()));
            BackfillTotals totals = job.totals();
            String args = "bench since=" + history + " window=" + window;
            BackfillJob.Options options = new BackfillJob.Options(args, now.minus(history).minus(Duration.ofMinutes(1)), now,
                    EnumSet.of(BackfillJob.Part.ENGAGEMENT), false, window);
            for (int attempt = 1; ; attempt++) {
                try {
                    job.run(options, totals);
                    break;
                } catch (RetriableSyncException e) {
                    // what an operator does: run the same backfill again; it continues where it stopped
                    if (attempt == 5) {
                        throw e;
                    }
                    out.println("  interrupted (" + e.getMessage() + "); continuing where it stopped");
                    out.flush();
                    retries++;
                }
            }
            long elapsed = System.currentTimeMillis() - started;
            out.println("Backfill done: " + totals.summary() + ", resumed " + retries + " times");
            out.flush();
            report.backfill(world.send("stats"), elapsed, totals.written(), totals.salesforceCalls(), totals.bulkJobs(),
                    meter.peakHeapBytes(), ProcessMeter.peakRssBytes(), ProcessMeter.cpuSeconds(), meter.maxHeapBytes());
            report.collector(totals.written(), ProcessMeter.allocatedBytes(), ProcessMeter.gcSeconds());
        }
    }

    /** A plain line a window with the heap and RSS so far, so a long run shows it is alive and how much it holds. */
    private Backfill.Listener listener(ProcessMeter meter) {
        return new Backfill.Listener() {
            private long windows;

            @Override
            public void window(FlowId source, Instant windowEnd, BackfillTotals t) {
                out.println(String.format(Locale.ROOT, "  %s window %d up to %s: read %,d, written %,d, Salesforce calls %,d, Bulk jobs %d,"
                                + " heap peak %d MB, RSS peak %d MB, %s", source.key(), ++windows, windowEnd, t.read(), t.written(),
                        t.salesforceCalls(), t.bulkJobs(), meter.peakHeapBytes() >> 20, ProcessMeter.peakRssBytes() >> 20, Instant.now()));
                out.flush();
            }

            @Override
            public void paused(String api, Instant until, String reason) {
                out.println("  paused (" + api + ") until " + until + ": " + reason);
                out.flush();
            }

            @Override
            public void phase(String what) {
                out.println("  " + what);
                out.flush();
            }
        };
    }
}
