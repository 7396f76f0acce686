package io.closedloop.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.Closedloop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The one bench run in the build: a quick live run after a short warm-up, whose output has both columns, the JSON keys,
 * only the measured events, and fewer Closedloop calls.
 */
class BenchSmokeIT {
    @TempDir
    Path dir;

    @Test
    void quickLiveRunPrintsBothColumnsAndClosedloopCallsFewerThanTheBaseline() throws Exception {
        Path json = dir.resolve("bench.json");
        String table = quickRun(2000, "2s", 40, json, "SALESFORCE_CONCURRENCY=2");

        assertThat(table).contains("Closedloop", "Baseline (per record)", "Salesforce calls / 1,000 activities",
                "HubSpot calls / 1,000 events", "throughput events/s", "bound events/s", "event -> Salesforce p50/p95/max s",
                "rejection -> HubSpot p50/p95 s", "peak RSS MB (VmHWM)", "start-up to healthy s", "projection, Closedloop",
                "measured after a warm-up of 800 events", "settings: SALESFORCE_CONCURRENCY=2", "CPU ms / 1,000 events",
                "emulators' CPU seconds (same cores)", "cores allow at this CPU", "HubSpot reads in flight, avg of 4",
                "Salesforce calls in flight, avg of 2", "daemon JVM options: ");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode closedloop = report.path("closedloop");
        JsonNode baseline = report.path("baseline");
        for (String key : new String[] {"salesforceCallsPer1000Activities", "hubspotCallsPer1000Events", "throughputEventsPerSecond",
                "boundEventsPerSecond", "throughputToBound", "latencyMs", "projection"}) {
            assertThat(closedloop.has(key)).as("closedloop." + key).isTrue();
            assertThat(baseline.has(key)).as("baseline." + key).isTrue();
        }
        for (String key : new String[] {"feedbackLatencyMs", "peakHeapMb", "peakRssMb", "cpuSeconds", "startupSeconds", "cpuMsPer1000Events",
                "emulatorCpuSeconds", "cpuBoundEventsPerSecond", "allocatedMbPer1000Events", "gcPauseSeconds"}) {
            assertThat(closedloop.has(key)).as("closedloop." + key).isTrue();
        }
        // every generated event reached Salesforce once, the warm-up's 800 (2 s at 400 a second) not counted among them,
        // and the daemon spent fewer calls per activity than the baseline
        assertThat(report.path("warmupEvents").asInt()).isEqualTo(800);
        assertThat(report.path("settings").path("SALESFORCE_CONCURRENCY").asText()).isEqualTo("2");
        assertThat(report.path("daemonJvmOptions").isArray()).isTrue();
        assertThat(closedloop.path("activities").asLong()).isEqualTo(2000);
        // the figures include the last summary flush (the default CLOSEDLOOP_SUMMARY_INTERVAL holds it back up to 30 s)
        assertThat(closedloop.path("summariesQueuedAtEnd").asLong()).isZero();
        assertThat(baseline.path("activities").asLong()).isEqualTo(40);
        // the polls read and wrote: some of each stage's room was used while they ran, and no more reads than slices
        assertThat(closedloop.path("hubspotReadsInFlight").asDouble()).isPositive().isLessThanOrEqualTo(4.0);
        assertThat(closedloop.path("salesforceCallsInFlight").asDouble()).isPositive();
        assertThat(closedloop.path("salesforceCallsPer1000Activities").asDouble())
                .isLessThan(baseline.path("salesforceCallsPer1000Activities").asDouble());
    }

    @Test
    void onAPostgresqlStoreTheRunWritesItsStateThereAndPrintsThePasswordMasked() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.closedloop.testsupport.EmbeddedPostgresSupport.start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Path json = dir.resolve("bench-pg.json");
            String table = quickRun(1000, "1s", 20, json, "CLOSEDLOOP_DB_URL=" + url, "CLOSEDLOOP_DB_USER=postgres",
                    "CLOSEDLOOP_DB_PASSWORD=pg-s3cr3t");

            assertThat(table).contains("state store: PostgreSQL (--set CLOSEDLOOP_DB_URL)", "CLOSEDLOOP_DB_PASSWORD=****")
                    .doesNotContain("pg-s3cr3t");
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.path("store").asText()).isEqualTo("postgresql");
            assertThat(report.path("settings").path("CLOSEDLOOP_DB_PASSWORD").asText()).isEqualTo("****");
            assertThat(report.path("closedloop").path("activities").asLong()).isEqualTo(1000);
            // the daemon's ledger is in PostgreSQL: the warm-up's 400 events and the measured 1,000 at least, each once
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
                 java.sql.ResultSet rs = c.createStatement().executeQuery(
                         "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM event_ledger WHERE target_type = 'Marketing_Activity__c'")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(1400);
                assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
            }
        }
    }

    @Test
    void aBurstRunDrainsTheBurstAndTheBaselineSyncsItsSampleOnlyNotTheBurstAgain() throws Exception {
        Path json = dir.resolve("bench-burst.json");
        StringWriter out = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("bench", "--mode", "burst", "--events", "1500", "--people", "600", "--rtt", "20ms", "--poll", "2s",
                "--baseline-sample", "30", "--emulator-heap", "512m", "--json", json.toString())).isZero();

        assertThat(out.toString()).contains("mode burst", "Closedloop", "Baseline (per record)", "drain");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("closedloop").path("activities").asLong()).isEqualTo(1500);
        assertThat(report.path("closedloop").has("drainSeconds")).isTrue();
        // the baseline's one poll reads its 30 events, not the 1,500 of the burst before them as well
        assertThat(report.path("baseline").path("activities").asLong()).isEqualTo(30);
        assertThat(report.path("closedloop").path("salesforceCallsPer1000Activities").asDouble())
                .isLessThan(report.path("baseline").path("salesforceCallsPer1000Activities").asDouble());
    }

    /** A live run of {@code events} at 400 a second over 600 people and a 20 ms round trip; returns its table. */
    private static String quickRun(int events, String warmup, int baselineSample, Path json, String... settings) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bench", "--events", Integer.toString(events),
                "--people", "600", "--rate", "400", "--rtt", "20ms", "--poll", "2s", "--baseline-sample", Integer.toString(baselineSample),
                "--emulator-heap", "512m", "--warmup", warmup, "--json", json.toString()));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        StringWriter out = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute(args.toArray(String[]::new))).isZero();
        return out.toString();
    }
}
