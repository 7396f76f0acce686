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
        StringWriter out = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("bench", "--events", "2000", "--people", "600", "--rate", "400", "--rtt", "20ms", "--poll", "2s",
                "--baseline-sample", "40", "--emulator-heap", "512m", "--warmup", "2s", "--json", json.toString(),
                "--set", "SALESFORCE_CONCURRENCY=2");

        assertThat(exit).isZero();
        String table = out.toString();
        assertThat(table).contains("Closedloop", "Baseline (per record)", "Salesforce calls / 1,000 activities",
                "HubSpot calls / 1,000 events", "throughput events/s", "bound events/s", "event -> Salesforce p50/p95/max s",
                "rejection -> HubSpot p50/p95 s", "peak RSS MB (VmHWM)", "start-up to healthy s", "projection, Closedloop",
                "measured after a warm-up of 800 events", "settings: SALESFORCE_CONCURRENCY=2", "CPU ms / 1,000 events",
                "emulators' CPU seconds (same cores)", "cores allow at this CPU");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode closedloop = report.path("closedloop");
        JsonNode baseline = report.path("baseline");
        for (String key : new String[] {"salesforceCallsPer1000Activities", "hubspotCallsPer1000Events", "throughputEventsPerSecond",
                "boundEventsPerSecond", "throughputToBound", "latencyMs", "projection"}) {
            assertThat(closedloop.has(key)).as("closedloop." + key).isTrue();
            assertThat(baseline.has(key)).as("baseline." + key).isTrue();
        }
        for (String key : new String[] {"feedbackLatencyMs", "peakHeapMb", "peakRssMb", "cpuSeconds", "startupSeconds", "cpuMsPer1000Events",
                "emulatorCpuSeconds", "cpuBoundEventsPerSecond"}) {
            assertThat(closedloop.has(key)).as("closedloop." + key).isTrue();
        }
        // every generated event reached Salesforce once, the warm-up's 800 (2 s at 400 a second) not counted among them,
        // and the daemon spent fewer calls per activity than the baseline
        assertThat(report.path("warmupEvents").asInt()).isEqualTo(800);
        assertThat(report.path("settings").path("SALESFORCE_CONCURRENCY").asText()).isEqualTo("2");
        assertThat(closedloop.path("activities").asLong()).isEqualTo(2000);
        assertThat(baseline.path("activities").asLong()).isEqualTo(40);
        assertThat(closedloop.path("salesforceCallsPer1000Activities").asDouble())
                .isLessThan(baseline.path("salesforceCallsPer1000Activities").asDouble());
    }
}
