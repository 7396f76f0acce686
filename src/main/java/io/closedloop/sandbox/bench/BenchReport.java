package io.closedloop.sandbox.bench;

import io.closedloop.hubspot.HubSpotEmailEventReader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one bench run: Closedloop's and the baseline's side by side, as a table and as JSON. */
final class BenchReport {
    /** HubSpot reads 1,000 email events a page (hubspot-api.md §2.1). */
    static final int HUBSPOT_PAGE = 1000;
    /** Salesforce Composite: 5 subrequests of 200-record collections (salesforce-api.md §3, §4). */
    static final int COMPOSITE_RECORDS = 1000;
    /**
     * The binding HubSpot rate: the daemon's own HUBSPOT_BURST_PER_10S default of 100 calls per 10 s, below the emulated
     * Professional limit of 190 (hubspot-api.md §11.1).
     */
    static final double HUBSPOT_CALLS_PER_SECOND = 10.0;
    /** Salesforce Enterprise Edition: 100,000 calls a day plus 1,000 per Salesforce licence. */
    static final long SALESFORCE_ENTERPRISE_BASE = 100_000;
    static final long SALESFORCE_PER_LICENCE = 1_000;
    /** HubSpot Professional: 625,000 calls a day (hubspot-api.md §11.1); Closedloop's default share is half. */
    static final long HUBSPOT_PROFESSIONAL_DAILY = 625_000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> closedloop = new LinkedHashMap<>();
    private final Map<String, Object> baseline = new LinkedHashMap<>();
    private final BenchCommand.Mode mode;
    private final Duration rtt;
    private final long perDay;
    private final int licences;
    private String note = "";

    BenchReport(BenchCommand.Mode mode, int events, int people, Duration rtt, Duration poll, long perDay, int licences) {
        this.mode = mode;
        this.rtt = rtt;
        this.perDay = perDay;
        this.licences = licences;
        root.put("mode", mode.name().toLowerCase(Locale.ROOT));
        root.put("events", events);
        root.put("people", people);
        root.put("rttMs", rtt.toMillis());
        root.put("pollMs", poll.toMillis());
        root.put("emulators", "separate JVM (heap, RSS and CPU are the daemon's alone)");
        root.put("closedloop", closedloop);
        if (mode != BenchCommand.Mode.BACKFILL) {
            root.put("baseline", baseline);
        }
    }

    /** Live runs measure after {@code events} warm-up events the daemon wrote first, over {@code span}. */
    void warmup(int events, Duration span) {
        root.put("warmupEvents", events);
        root.put("warmupSeconds", span.toMillis() / 1000.0);
    }

    /** The {@code --set} settings the Closedloop run used, printed under the title so a table says how it was made. */
    void settings(Map<String, String> set) {
        if (!set.isEmpty()) {
            Map<String, String> shown = new LinkedHashMap<>();
            set.forEach((key, value) -> shown.put(key, io.closedloop.config.SettingKey.valueOf(key).display(value)));
            root.put("settings", shown);
        }
        String url = set.get(io.closedloop.config.SettingKey.CLOSEDLOOP_DB_URL.name());
        root.put("store", url == null || url.startsWith("jdbc:h2:") ? "h2" : "postgresql");
    }

    /**
     * The daemon's JVM options (the {@code -X} and {@code -XX:} options of this process, which the daemon runs in),
     * printed under the title: start-up, CPU and throughput depend on them, e.g. the image's
     * {@code -XX:CompileThresholdScaling}. System properties ({@code -D}) and agents are left out: they may carry
     * secrets or paths and do not change how the JVM runs the daemon's code.
     */
    void jvmOptions(java.util.List<String> inputArguments) {
        root.put("daemonJvmOptions", inputArguments.stream().filter(a -> a.startsWith("-X")).toList());
    }

    void startup(long ms) {
        closedloop.put("startupSeconds", ms / 1000.0);
    }

    /**
     * The calls in flight on average while the email source polled, HubSpot's email reads and every Salesforce call: how
     * much of each stage's room ({@link HubSpotEmailEventReader#SLICES} slices, {@code SALESFORCE_CONCURRENCY} Composite
     * calls) the polls used. The bound assumes one stage full all the time; a stage well below its room while the rate is
     * below the bound means the work between the calls (the CPU) or the stages taking turns holds the rate, not the APIs.
     *
     * @param polling when the measured polls ran, in epoch milliseconds
     */
    void inFlight(JsonNode stats, List<long[]> polling, int salesforceConcurrency) {
        List<long[]> busy = merged(polling);
        long busyMs = busy.stream().mapToLong(b -> b[1] - b[0]).sum();
        if (busyMs <= 0) {
            return;
        }
        closedloop.put("hubspotReadsInFlight", round(callMillisWithin(stats.path("hubspotReadSpans"), busy) / (double) busyMs));
        closedloop.put("hubspotReadSlots", HubSpotEmailEventReader.SLICES);
        closedloop.put("salesforceCallsInFlight", round(callMillisWithin(stats.path("salesforceSpans"), busy) / (double) busyMs));
        closedloop.put("salesforceCallSlots", salesforceConcurrency);
    }

    /** The intervals sorted and joined where they touch or overlap. */
    static List<long[]> merged(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals.stream().filter(i -> i[1] > i[0]).map(long[]::clone).toList());
        sorted.sort(java.util.Comparator.comparingLong(i -> i[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] i : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && i[0] <= last[1]) {
                last[1] = Math.max(last[1], i[1]);
            } else {
                out.add(i);
            }
        }
        return out;
    }

    /** The milliseconds the calls ({@code [began, answered]} pairs) spent within the merged intervals, summed. */
    static long callMillisWithin(JsonNode spans, List<long[]> busy) {
        long total = 0;
        for (JsonNode span : spans) {
            long from = span.path(0).asLong();
            long to = span.path(1).asLong();
            for (long[] b : busy) {
                total += Math.max(0, Math.min(to, b[1]) - Math.max(from, b[0]));
            }
        }
        return total;
    }

    /** Summary fields still queued when the figures were taken (0: every measured activity's were written and counted). */
    void summariesQueued(long records) {
        closedloop.put("summariesQueuedAtEnd", records);
    }

    /** @param salesforceConcurrency the daemon's {@code SALESFORCE_CONCURRENCY}: Composite calls in flight at once */
    void closedloop(JsonNode stats, long healthyMs, double busyThroughput, long peakHeap, long peakRss, double cpu, long maxHeap,
                    int salesforceConcurrency) {
        counts(closedloop, stats, stats.path("activities").asLong(), stats.path("generated").asLong());
        closedloop.put("complete", stats.path("activities").asLong() >= stats.path("generated").asLong());
        if (mode == BenchCommand.Mode.BURST) {
            long drain = stats.path("lastWriteMs").asLong() - healthyMs;
            closedloop.put("drainSeconds", drain / 1000.0);
            closedloop.put("throughputEventsPerSecond", round(stats.path("activities").asLong() * 1000.0 / Math.max(1, drain)));
        } else {
            closedloop.put("latencyMs", JSON.convertValue(stats.path("latencyMs"), Map.class));
            closedloop.put("throughputEventsPerSecond", round(busyThroughput));
            closedloop.put("throughputMeasure", "events written or parked / time the email source spent polling (events read again and found written not counted)");
        }
        // the email reader reads up to SLICES time slices of a window at once, a page each per round trip
        bound(closedloop, Math.min(HubSpotEmailEventReader.SLICES * HUBSPOT_PAGE * 1000.0 / rtt.toMillis(),
                        HUBSPOT_CALLS_PER_SECOND * HUBSPOT_PAGE),
                salesforceConcurrency * COMPOSITE_RECORDS * 1000.0 / rtt.toMillis());
        salesforceStageAtRunCalls(stats, salesforceConcurrency);
        closedloop.put("feedbackLatencyMs", JSON.convertValue(stats.path("feedbackLatencyMs"), Map.class));
        memory(closedloop, peakHeap, peakRss, cpu, maxHeap);
        cpuBound(stats, cpu);
        projection(closedloop);
    }

    /**
     * The Salesforce stage's bound at the calls this run made per activity: its slots full all the time, each call one
     * round trip, carrying the activities the run's calls carried on average. The bound counts one Composite of
     * 1,000 records per call; the run's calls also read identities, write summary fields and read dispositions, so this
     * is what a full Salesforce stage gives at the run's own call count.
     */
    private void salesforceStageAtRunCalls(JsonNode stats, int salesforceConcurrency) {
        long calls = stats.path("salesforceCalls").asLong();
        long activities = stats.path("activities").asLong();
        if (calls <= 0 || activities <= 0) {
            return;
        }
        closedloop.put("salesforceBoundAtRunCalls", round(salesforceConcurrency * 1000.0 / rtt.toMillis() * activities / calls));
    }

    /**
     * What the machine's cores allow at the CPU the run spent per event, the daemon's and the emulators' (which share
     * the cores here and would not in production): a bound of the machine, next to the bound of the APIs.
     */
    private void cpuBound(JsonNode stats, double cpu) {
        long events = stats.path("generated").asLong();
        double emulators = stats.path("emulatorCpuSeconds").asDouble(-1);
        if (events <= 0 || cpu <= 0 || emulators < 0) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        closedloop.put("cpuMsPer1000Events", round(cpu * 1_000_000.0 / events));
        closedloop.put("emulatorCpuSeconds", round(emulators));
        closedloop.put("cpuBoundEventsPerSecond", round(cores * events / (cpu + emulators)));
        closedloop.put("cores", cores);
    }

    /**
     * The heap the daemon's JVM allocated per 1,000 events and its collectors' pauses over the measured part of the run:
     * allocation is what the heap limit turns into collector work, and unlike CPU time it barely moves from run to run.
     *
     * @param allocatedBytes -1 where the JVM cannot tell (no row then)
     */
    void collector(long events, long allocatedBytes, double gcPauseSeconds) {
        if (allocatedBytes >= 0 && events > 0) {
            closedloop.put("allocatedMbPer1000Events", round(allocatedBytes * 1000.0 / events / (1024 * 1024)));
        }
        closedloop.put("gcPauseSeconds", round(gcPauseSeconds));
    }

    void baseline(JsonNode stats, BaselineSync.Result result) {
        counts(baseline, stats, result.written(), stats.path("generated").asLong());
        baseline.put("sampleEvents", stats.path("generated").asLong());
        long elapsed = result.endedMs() - result.startedMs();
        baseline.put("throughputEventsPerSecond", round(result.written() * 1000.0 / Math.max(1, elapsed)));
        if (mode == BenchCommand.Mode.BURST) {
            baseline.put("drainSeconds", elapsed / 1000.0);
        } else {
            baseline.put("latencyMs", JSON.convertValue(stats.path("latencyMs"), Map.class));
        }
        // one record per call; a query and an upsert per record take turns
        bound(baseline, HUBSPOT_PAGE * 1000.0 / rtt.toMillis(), 1000.0 / rtt.toMillis());
        projection(baseline);
        note = "Baseline figures come from a sample of " + stats.path("generated").asLong()
                + " events; its per-1,000 and per-day figures are extrapolated from the sample.";
    }

    /** Backfill: records a second, calls, Bulk jobs and memory. */
    void backfill(JsonNode stats, long elapsedMs, long written, long salesforceCalls, long bulkJobs, long peakHeap, long peakRss, double cpu,
                  long maxHeap) {
        counts(closedloop, stats, written, stats.path("generated").asLong());
        closedloop.put("elapsedSeconds", elapsedMs / 1000.0);
        closedloop.put("recordsPerSecond", round(written * 1000.0 / Math.max(1, elapsedMs)));
        closedloop.put("salesforceCallsCountedByDaemon", salesforceCalls);
        closedloop.put("bulkJobs", bulkJobs);
        memory(closedloop, peakHeap, peakRss, cpu, maxHeap);
        projection(closedloop);
    }

    private static void counts(Map<String, Object> col, JsonNode stats, long activities, long events) {
        long sf = stats.path("salesforceCalls").asLong();
        long hs = stats.path("hubspotCalls").asLong();
        col.put("events", events);
        col.put("activities", activities);
        col.put("salesforceCalls", sf);
        col.put("hubspotCalls", hs);
        col.put("bulkJobs", stats.path("bulkJobs").asLong());
        col.put("salesforceCallsPer1000Activities", round(sf * 1000.0 / Math.max(1, activities)));
        col.put("hubspotCallsPer1000Events", round(hs * 1000.0 / Math.max(1, events)));
        col.put("salesforceCallsByEndpoint", JSON.convertValue(stats.path("salesforceByEndpoint"), Map.class));
        col.put("hubspotCallsByEndpoint", JSON.convertValue(stats.path("hubspotByEndpoint"), Map.class));
    }

    private static void bound(Map<String, Object> col, double hubspotStage, double salesforceStage) {
        double bound = Math.min(hubspotStage, salesforceStage);
        col.put("boundEventsPerSecond", round(bound));
        col.put("boundStages", Map.of("hubspotRead", round(hubspotStage), "salesforceWrite", round(salesforceStage)));
        Object t = col.get("throughputEventsPerSecond");
        col.put("throughputToBound", t instanceof Number n ? round(n.doubleValue() / bound) : 0);
    }

    private static void memory(Map<String, Object> col, long peakHeap, long peakRss, double cpu, long maxHeap) {
        col.put("peakHeapMb", mb(peakHeap));
        col.put("maxHeapMb", mb(maxHeap));
        col.put("peakRssMb", mb(peakRss));
        col.put("cpuSeconds", round(cpu));
    }

    private void projection(Map<String, Object> col) {
        double sfDay = ((Number) col.get("salesforceCallsPer1000Activities")).doubleValue() * perDay / 1000.0;
        double hsDay = ((Number) col.get("hubspotCallsPer1000Events")).doubleValue() * perDay / 1000.0;
        long allocation = SALESFORCE_ENTERPRISE_BASE + SALESFORCE_PER_LICENCE * licences;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("eventsPerDay", perDay);
        p.put("salesforceCallsPerDay", Math.round(sfDay));
        p.put("salesforceDailyAllocation", allocation);
        p.put("salesforceShareOfAllocation", round(sfDay / allocation));
        p.put("hubspotCallsPerDay", Math.round(hsDay));
        p.put("hubspotDailyLimit", HUBSPOT_PROFESSIONAL_DAILY);
        p.put("hubspotShareOfLimit", round(hsDay / HUBSPOT_PROFESSIONAL_DAILY));
        col.put("projection", p);
    }

    String table() {
        boolean both = root.containsKey("baseline");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "Closedloop", both ? "Baseline (per record)" : ""});
        row(rows, "Salesforce calls / 1,000 activities", "salesforceCallsPer1000Activities");
        row(rows, "HubSpot calls / 1,000 events", "hubspotCallsPer1000Events");
        row(rows, "activities written", "activities");
        row(rows, "Salesforce calls (journal)", "salesforceCalls");
        row(rows, "Bulk jobs", "bulkJobs");
        if (mode == BenchCommand.Mode.BACKFILL) {
            row(rows, "records/s", "recordsPerSecond");
            row(rows, "elapsed s", "elapsedSeconds");
        } else {
            row(rows, "throughput events/s", "throughputEventsPerSecond");
            row(rows, "bound events/s", "boundEventsPerSecond");
            row(rows, "throughput / bound", "throughputToBound");
            if (closedloop.containsKey("salesforceBoundAtRunCalls")) {
                rows.add(new String[] {"bound at this run's calls, events/s", text(closedloop.get("salesforceBoundAtRunCalls")), "-"});
            }
            if (mode == BenchCommand.Mode.BURST) {
                row(rows, "drain time s", "drainSeconds");
            } else {
                rows.add(new String[] {"event -> Salesforce p50/p95/max s", latency(closedloop.get("latencyMs"), true),
                        latency(baseline.get("latencyMs"), true)});
            }
            rows.add(new String[] {"rejection -> HubSpot p50/p95 s", latency(closedloop.get("feedbackLatencyMs"), false), "n/a (no feedback)"});
            if (closedloop.containsKey("hubspotReadsInFlight")) {
                rows.add(new String[] {"HubSpot reads in flight, avg of " + closedloop.get("hubspotReadSlots"),
                        text(closedloop.get("hubspotReadsInFlight")), "-"});
                rows.add(new String[] {"Salesforce calls in flight, avg of " + closedloop.get("salesforceCallSlots"),
                        text(closedloop.get("salesforceCallsInFlight")), "-"});
            }
        }
        row(rows, "peak heap MB", "peakHeapMb");
        row(rows, "max heap MB (-Xmx)", "maxHeapMb");
        row(rows, "peak RSS MB (VmHWM)", "peakRssMb");
        row(rows, "CPU seconds", "cpuSeconds");
        row(rows, "CPU ms / 1,000 events", "cpuMsPer1000Events");
        if (closedloop.containsKey("allocatedMbPer1000Events")) {
            row(rows, "heap allocated MB / 1,000 events", "allocatedMbPer1000Events");
        }
        if (closedloop.containsKey("gcPauseSeconds")) {
            row(rows, "GC pause seconds", "gcPauseSeconds");
        }
        row(rows, "emulators' CPU seconds (same cores)", "emulatorCpuSeconds");
        if (closedloop.containsKey("cores")) {
            rows.add(new String[] {"events/s " + closedloop.get("cores") + " cores allow at this CPU", text(closedloop.get("cpuBoundEventsPerSecond")), "-"});
        }
        row(rows, "start-up to healthy s", "startupSeconds");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nclosedloop bench: mode %s, %s events, %d ms round trip, poll %s s, emulators in a separate JVM%n",
                root.get("mode"), root.get("events"), rtt.toMillis(), ((Number) root.get("pollMs")).longValue() / 1000.0));
        if (root.get("settings") instanceof Map<?, ?> set) {
            out.append("settings: ").append(set.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "))).append(" (--set; the rest as `run` defaults them)\n");
        }
        if (root.get("daemonJvmOptions") instanceof java.util.List<?> options) {
            out.append("daemon JVM options: ").append(options.isEmpty() ? "the JVM's defaults"
                    : options.stream().map(String::valueOf).collect(Collectors.joining(" "))).append(" (this process's)\n");
        }
        if ("postgresql".equals(root.get("store"))) {
            out.append("state store: PostgreSQL (--set CLOSEDLOOP_DB_URL); its server's CPU is in no figure below\n");
        }
        if (root.containsKey("warmupEvents")) {
            out.append(String.format(Locale.ROOT, "measured after a warm-up of %,d events over %s s that the same daemon wrote first"
                    + " (not counted in any figure but peak heap and RSS)%n", root.get("warmupEvents"), root.get("warmupSeconds")));
        }
        if (Boolean.FALSE.equals(closedloop.get("complete"))) {
            out.append(String.format(Locale.ROOT, "INCOMPLETE: Closedloop wrote %s of %s activities before the bench's deadline%n",
                    closedloop.get("activities"), closedloop.get("events")));
        }
        if (closedloop.get("summariesQueuedAtEnd") instanceof Number n && n.longValue() > 0) {
            out.append(String.format(Locale.ROOT, "INCOMPLETE: the summary fields of %,d records were still queued at the end (their calls are not counted)%n",
                    n.longValue()));
        }
        for (String[] r : rows) {
            out.append(String.format(Locale.ROOT, "%-36s %22s %24s%n", r[0], r[1], r[2]));
        }
        out.append(projectionLine("Closedloop", closedloop));
        if (both) {
            out.append(projectionLine("Baseline", baseline));
            out.append(note).append('\n');
        }
        return out.toString();
    }

    private void row(List<String[]> rows, String label, String key) {
        rows.add(new String[] {label, text(closedloop.get(key)), text(baseline.get(key))});
    }

    private String projectionLine(String who, Map<String, Object> col) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) col.get("projection");
        if (p == null) {
            return "";
        }
        return String.format(Locale.ROOT, "projection, %s at %,d events/day: Salesforce %,d calls/day (%.1f %% of Enterprise %,d = 100,000 + %d"
                        + " licences x 1,000), HubSpot %,d calls/day (%.1f %% of Professional %,d)%n", who, perDay,
                p.get("salesforceCallsPerDay"), ((Number) p.get("salesforceShareOfAllocation")).doubleValue() * 100,
                p.get("salesforceDailyAllocation"), licences, p.get("hubspotCallsPerDay"),
                ((Number) p.get("hubspotShareOfLimit")).doubleValue() * 100, HUBSPOT_PROFESSIONAL_DAILY);
    }

    /** p50 / p95, and the max when there is one (the event latency has it, the feedback latency shows two). */
    private static String latency(Object value, boolean withMax) {
        if (!(value instanceof Map<?, ?> m) || m.isEmpty()) {
            return "-";
        }
        return seconds(m.get("p50")) + " / " + seconds(m.get("p95")) + (withMax ? " / " + seconds(m.get("max")) : "");
    }

    private static String seconds(Object ms) {
        return ms instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue() / 1000.0) : "-";
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%,.2f", d);
        }
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return v.toString();
    }

    String json() throws JsonProcessingException {
        return JSON.writeValueAsString(root);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static long mb(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024 * 1024);
    }
}
