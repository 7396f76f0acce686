package io.closedloop.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.cli.VersionProvider;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingKey;
import io.closedloop.config.SettingsLoader;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.Sandbox;
import io.closedloop.sandbox.SandboxCommand;
import io.closedloop.state.SyncRuns;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code closedloop bench}: the real daemon and a naive per-record baseline against the same emulated world, side by
 * side. The emulators run in a JVM of their own, so heap, RSS and CPU are the daemon's (and the baseline's) alone.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Measure Closedloop against emulated HubSpot and Salesforce with a fixed round-trip time, next to a",
                "naive baseline (one poll, then one SOQL query and one upsert per event through camel-salesforce).",
                "Prints one table with both columns; --json writes the same figures as JSON."})
public class BenchCommand implements Callable<Integer> {
    public enum Mode { LIVE, BURST, BACKFILL }

    @Option(names = "--events", defaultValue = "100000", description = "Email events to sync (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--people", defaultValue = "20000", description = "People in the seeded world (default: ${DEFAULT-VALUE}).")
    int people;

    @Option(names = "--rtt", defaultValue = "100ms", converter = SandboxCommand.DurationConverter.class,
            description = "Round-trip time of every emulated API call (default: ${DEFAULT-VALUE}).")
    Duration rtt;

    @Option(names = "--poll", defaultValue = "5s", converter = SandboxCommand.DurationConverter.class,
            description = "The daemon's poll interval (default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--mode", defaultValue = "live", converter = ModeConverter.class,
            description = "live (events arrive at --rate), burst (all events wait before the daemon starts) or backfill "
                    + "(`closedloop backfill` over a seeded history). Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--rate", description = "Live events a second (default: --events spread over 60 s).")
    Double rate;

    @Option(names = "--warmup", defaultValue = "30s", converter = SandboxCommand.DurationConverter.class,
            description = "live: events at --rate for this long before measuring, written by the same daemon and not counted,"
                    + " so the figures are the daemon's once its code is compiled; 0s measures from the start (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--baseline-sample", defaultValue = "200",
            description = "Events the baseline syncs; its per-1,000 figures are extrapolated from them (default: ${DEFAULT-VALUE}).")
    int baselineSample;

    @Option(names = "--per-day", defaultValue = "1000000", description = "Events a day for the projection line (default: ${DEFAULT-VALUE}).")
    long perDay;

    @Option(names = "--licences", defaultValue = "50",
            description = "Salesforce user licences for the projected daily allocation (default: ${DEFAULT-VALUE}).")
    int licences;

    @Option(names = "--history", defaultValue = "14d", converter = SandboxCommand.DurationConverter.class,
            description = "backfill: how far back the seeded history goes (default: ${DEFAULT-VALUE}).")
    Duration history;

    @Option(names = "--window", defaultValue = "6h",
            description = "backfill: the backfill's window (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--emulator-heap", defaultValue = "4g", description = "-Xmx of the emulators' JVM (default: ${DEFAULT-VALUE}).")
    String emulatorHeap;

    @Option(names = "--verbose", description = "Keep the daemon's own log lines (INFO and up) on the output.")
    boolean verbose;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A daemon setting for the Closedloop run (README, Settings), e.g. --set SALESFORCE_CONCURRENCY=8;"
                    + " repeatable. The emulators' URLs and credentials and the poll interval are the bench's own; the store is its"
                    + " own H2 file unless CLOSEDLOOP_DB_URL (with CLOSEDLOOP_DB_USER, CLOSEDLOOP_DB_PASSWORD) names an empty database,"
                    + " e.g. a PostgreSQL one to measure the production store.")
    Map<String, String> settings = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected live, burst or backfill, got '" + value + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!verbose) {
            SandboxCommand.quietLogs();
        }
        checkSettings();
        checkStore();
        Path dir = Files.createTempDirectory("closedloop-bench");
        BenchReport report = new BenchReport(mode, events, people, rtt, poll, perDay, licences);
        report.settings(settings);
        report.jvmOptions(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        try (ProcessMeter meter = new ProcessMeter();
             BenchWorld world = BenchWorld.start(people, rtt.toMillis(), emulatorHeap, dir.resolve("emulators.log"))) {
            out.printf("Emulators up in their own JVM (%d people, %d ms round trip); %s run of %d events...%n",
                    world.ready().path("people").asInt(), rtt.toMillis(), mode.name().toLowerCase(Locale.ROOT), events);
            out.flush();
            if (mode == Mode.BACKFILL) {
                new BenchBackfill(world, dir, backfillWindow(), history, out, settings).run(events, report, meter);
            } else {
                closedloop(world, dir, report, meter);
                out.println("Closedloop done; running the baseline on " + Math.min(baselineSample, events) + " events...");
                out.flush();
                baseline(world, report);
            }
        } catch (Exception e) {
            // the emulators' log tells what they saw
            spec.commandLine().getErr().println("bench failed; its working directory (emulators.log) is kept in " + dir);
            throw e;
        }
        deleteTree(dir);
        out.print(report.table());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.json());
        }
        return 0;
    }

    /** The settings that point the bench at a store of the user's instead of its own H2 file. */
    static final java.util.Set<String> STORE_KEYS = java.util.Set.of(SettingKey.CLOSEDLOOP_DB_URL.name(),
            SettingKey.CLOSEDLOOP_DB_USER.name(), SettingKey.CLOSEDLOOP_DB_PASSWORD.name());

    /** {@code --set} names a setting the daemon reads, and none the bench sets itself; a bad value fails at the daemon's load. */
    private void checkSettings() {
        Map<String, String> own = Sandbox.daemonEnv("http://h", "http://s", Path.of("."), 1, poll);
        for (String key : settings.keySet()) {
            if (Arrays.stream(SettingKey.values()).noneMatch(k -> k.name().equals(key))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set " + key + ": not a setting (see README, Settings)");
            }
            if (own.containsKey(key) && !STORE_KEYS.contains(key)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set " + key + ": the bench sets it itself");
            }
        }
    }

    /**
     * A store given with {@code --set CLOSEDLOOP_DB_URL} must be reachable and hold no table yet: the bench fills it
     * with a synthetic world's state, and a store that already has some (an earlier run's, or a real daemon's) would
     * change what is measured, or be changed by it. Only the SQLState of a failed connection is printed, never the URL's
     * user or password.
     */
    private void checkStore() {
        String url = settings.get(SettingKey.CLOSEDLOOP_DB_URL.name());
        if (url == null) {
            return;
        }
        String user = settings.getOrDefault(SettingKey.CLOSEDLOOP_DB_USER.name(), SettingKey.CLOSEDLOOP_DB_USER.defaultValue());
        String password = settings.getOrDefault(SettingKey.CLOSEDLOOP_DB_PASSWORD.name(), SettingKey.CLOSEDLOOP_DB_PASSWORD.defaultValue());
        String key = "--set " + SettingKey.CLOSEDLOOP_DB_URL.name();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new CommandLine.ParameterException(spec.commandLine(), key + ": expected a jdbc:h2: or jdbc:postgresql: URL");
        }
        List<String> tables = new java.util.ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        } catch (java.sql.SQLException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), key + ": cannot connect to the store (SQLState "
                    + e.getSQLState() + ")");
        }
        if (!tables.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), key + ": the bench needs an empty database, and this one"
                    + " has " + tables.size() + " table" + (tables.size() == 1 ? "" : "s") + " in its schema (the bench writes a"
                    + " synthetic world's state into it); create a new database for the run");
        }
    }

    private Duration backfillWindow() {
        Duration d = SettingsLoader.parseDuration(window);
        if (d == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--window: expected a duration such as 6h, got '" + window + "'");
        }
        return d;
    }

    private void closedloop(BenchWorld world, Path dir, BenchReport report, ProcessMeter meter) throws Exception {
        int port = freePort();
        Map<String, String> env = Sandbox.daemonEnv(world.ready().path("hubspot").asText(), world.ready().path("salesforce").asText(),
                dir.resolve("daemon"), port, poll);
        env.putAll(this.settings);
        ClosedloopSettings settings = SettingsLoader.loadEnvironmentOnly(env);
        if (mode == Mode.BURST) {
            world.send("history " + events + " " + Duration.ofMinutes(10).toMillis());
            burstAnswered = Instant.now();
        }
        long t0 = System.currentTimeMillis();
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, Clock.systemUTC())) {
            runtime.start();
            long healthy = waitHealthy(port);
            report.startup(healthy - t0);
            double liveRate = rate != null ? rate : events / 60.0;
            Instant measuredFrom = Instant.EPOCH;
            double cpuBefore = 0;
            long allocatedBefore = 0;
            double gcBefore = 0;
            if (mode == Mode.LIVE && !warmup.isZero()) {
                int warm = warmUp(world, liveRate);
                // from here on: the emulators' journals, latencies and counts, the polls' throughput and the CPU
                world.send("reset");
                measuredFrom = Instant.now();
                cpuBefore = ProcessMeter.cpuSeconds();
                allocatedBefore = ProcessMeter.allocatedBytes();
                gcBefore = ProcessMeter.gcSeconds();
                report.warmup(warm, warmup);
            }
            if (mode == Mode.LIVE) {
                world.send("live " + events + " " + liveRate);
            }
            // generous, as the machine may be slow; a run that ends here says so in its figures
            long deadline = System.currentTimeMillis() + Math.max(300_000, Math.max((long) (events / liveRate * 1000) * 3, events * 20L));
            int rejections = 0;
            while (System.currentTimeMillis() < deadline) {
                // a few rejections a second while engagement flows, to time the way back to HubSpot
                if (rejections < 40) {
                    rejections += world.send("reject 2").path("rejected").asInt();
                }
                if (allWritten(world, events)) {
                    break;
                }
                Thread.sleep(1000);
            }
            // the measured activities' summary fields count too: the last of them go out with the first flush after
            // CLOSEDLOOP_SUMMARY_INTERVAL, and their calls and CPU belong to the run
            long summaryDeadline = System.currentTimeMillis() + settings.summaryInterval().toMillis() + poll.toMillis() * 3 + 30_000;
            while (runtime.store().summaryQueue().size() > 0 && System.currentTimeMillis() < summaryDeadline) {
                Thread.sleep(500);
            }
            report.summariesQueued(runtime.store().summaryQueue().size());
            // the rejections go out on the dispositions source's own poll
            long feedbackDeadline = System.currentTimeMillis() + poll.toMillis() * 3 + 30_000;
            JsonNode stats = world.send("stats");
            while (stats.path("feedbackSent").asInt() < stats.path("rejected").asInt() && System.currentTimeMillis() < feedbackDeadline) {
                Thread.sleep(500);
                stats = world.send("stats");
            }
            report.closedloop(stats, healthy, busyThroughput(runtime, measuredFrom), meter.peakHeapBytes(), ProcessMeter.peakRssBytes(),
                    ProcessMeter.cpuSeconds() - cpuBefore, meter.maxHeapBytes(), settings.salesforceConcurrency());
            long allocated = ProcessMeter.allocatedBytes();
            report.collector(stats.path("generated").asLong(), allocated < 0 || allocatedBefore < 0 ? -1 : allocated - allocatedBefore,
                    ProcessMeter.gcSeconds() - gcBefore);
            report.inFlight(stats, polling(runtime, measuredFrom), settings.salesforceConcurrency());
        }
    }

    /** {@code --warmup} of live events at the run's rate, until every one is written; returns how many. */
    private int warmUp(BenchWorld world, double liveRate) throws Exception {
        int warm = (int) Math.max(1, Math.round(liveRate * warmup.toMillis() / 1000.0));
        world.send("live " + warm + " " + liveRate);
        long timeoutMs = Math.max(300_000, warmup.toMillis() * 5);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (allWritten(world, warm)) {
                return warm;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the warm-up's " + warm + " events were not all written within " + timeoutMs / 1000 + " s");
    }

    /** Whether the live events are all generated and {@code n} of them written since the last reset. */
    private static boolean allWritten(BenchWorld world, int n) throws Exception {
        JsonNode p = world.send("progress");
        return p.path("activities").asInt() >= n && !p.path("liveRunning").asBoolean();
    }

    /** The email source's runs that read something and began once the figures were measured, ended. */
    private static List<SyncRuns.SyncRun> measuredRuns(ClosedloopRuntime runtime, Instant measuredFrom) {
        return runtime.store().runs().recent(io.closedloop.core.FlowId.HUBSPOT_EMAIL_EVENTS.key(), 100_000).stream()
                .filter(run -> run.finishedAt() != null && run.counts().read() > 0 && !run.startedAt().isBefore(measuredFrom)).toList();
    }

    /** When the email source's measured polls ran (epoch milliseconds), as {@link #busyThroughput} counts them. */
    private static List<long[]> polling(ClosedloopRuntime runtime, Instant measuredFrom) {
        return measuredRuns(runtime, measuredFrom).stream()
                .map(run -> new long[] {run.startedAt().toEpochMilli(), run.finishedAt().toEpochMilli()}).toList();
    }

    /**
     * Events the email source wrote or parked over the time its polls took: the rate while working, comparable with the
     * bound. Events a poll read again (the window's overlap, a chunk's edge) and found already written do not count.
     */
    private static double busyThroughput(ClosedloopRuntime runtime, Instant measuredFrom) {
        long synced = 0;
        long busyMs = 0;
        for (var run : measuredRuns(runtime, measuredFrom)) {
            synced += run.counts().written() + run.counts().parked();
            busyMs += Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        }
        return busyMs == 0 ? 0 : synced * 1000.0 / busyMs;
    }

    /**
     * When the emulators answered the burst's {@code history} command: every burst event is older than this less
     * {@link BenchEmulators#HISTORY_SETTLE}.
     */
    private Instant burstAnswered;

    private void baseline(BenchWorld world, BenchReport report) throws Exception {
        int sample = Math.min(baselineSample, events);
        world.send("reset");
        Instant from;
        BaselineSync baseline = new BaselineSync(world.ready().path("hubspot").asText(), world.ready().path("salesforce").asText());
        if (mode == Mode.LIVE) {
            // the sample arrives over one poll interval; then the one poll, then one record at a time
            from = Instant.now().minusSeconds(1);
            world.send("live " + sample + " " + sample * 1000.0 / poll.toMillis());
            Thread.sleep(poll.toMillis());
            while (world.send("progress").path("liveRunning").asBoolean()) {
                Thread.sleep(100);
            }
        } else {
            // the sample goes after the daemon's burst, which ended HISTORY_SETTLE before its command was answered: the baseline's
            // one poll then reads the sample only, not the burst again
            from = burstAnswered.minus(BenchEmulators.HISTORY_SETTLE).plusMillis(1);
            Duration span = Duration.ofMinutes(10);
            Duration since = Duration.between(burstAnswered, Instant.now()).dividedBy(2);
            world.send("history " + sample + " " + (since.compareTo(span) < 0 ? since : span).toMillis());
        }
        BaselineSync.Result result = baseline.run(from, Instant.now());
        report.baseline(world.send("stats"), result);
    }

    private static long waitHealthy(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.currentTimeMillis();
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the daemon did not turn healthy within 2 minutes");
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

}
