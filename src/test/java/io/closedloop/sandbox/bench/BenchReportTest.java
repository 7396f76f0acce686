package io.closedloop.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.hubspot.HubSpotEmailEventReader;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The bound the bench prints: the slowest stage's {@code min(concurrency × records per call / RTT, rate limit × records
 * per call)}, with the email reader's concurrency (its time slices read at once) and SALESFORCE_CONCURRENCY.
 */
class BenchReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode closedloop(Duration rtt, int salesforceConcurrency) throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, rtt, Duration.ofSeconds(5), 1_000_000, 50);
        JsonNode stats = JSON.readTree("{\"activities\": 1000, \"generated\": 1000, \"latencyMs\": {}, \"feedbackLatencyMs\": {}}");
        report.closedloop(stats, 1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, salesforceConcurrency);
        return JSON.readTree(report.json()).path("closedloop");
    }

    @Test
    void atOneSecondTheReadersSlicesAndTheSalesforceCallsInFlightBoundTheRate() throws Exception {
        JsonNode c = closedloop(Duration.ofSeconds(1), 4);
        assertThat(HubSpotEmailEventReader.SLICES).isEqualTo(4);
        assertThat(c.path("boundStages").path("hubspotRead").asDouble()).isEqualTo(4_000.0);
        assertThat(c.path("boundStages").path("salesforceWrite").asDouble()).isEqualTo(4_000.0);
        assertThat(c.path("boundEventsPerSecond").asDouble()).isEqualTo(4_000.0);
        assertThat(c.path("throughputToBound").asDouble()).isEqualTo(0.23);
    }

    @Test
    void theCallsInFlightWhilePollingCountOnlyTheTimeWithinThePolls() throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        // two polls of 1 s each (the second given twice, and touching a third of 0.5 s): 2.5 s of polling
        java.util.List<long[]> polling = java.util.List.of(new long[] {1_000, 2_000}, new long[] {5_000, 6_000}, new long[] {5_000, 6_000},
                new long[] {6_000, 6_500});
        // HubSpot: two reads of 1 s inside the first poll, one of 1 s half inside the last, one between the polls
        // Salesforce: one call of 2 s over the second and third polls (1.5 s of it inside), one after them all
        JsonNode stats = JSON.readTree("{\"activities\": 1000, \"generated\": 1000, \"latencyMs\": {}, \"feedbackLatencyMs\": {},"
                + " \"hubspotReadSpans\": [[1000, 2000], [1000, 2000], [6000, 7000], [3000, 4000]],"
                + " \"salesforceSpans\": [[5000, 7000], [8000, 9000]]}");
        report.closedloop(stats, 1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);
        report.inFlight(stats, polling, 4);

        JsonNode c = JSON.readTree(report.json()).path("closedloop");
        assertThat(c.path("hubspotReadsInFlight").asDouble()).isEqualTo(1.0);   // (1 + 1 + 0.5) s / 2.5 s
        assertThat(c.path("salesforceCallsInFlight").asDouble()).isEqualTo(0.6); // 1.5 s / 2.5 s
        assertThat(c.path("hubspotReadSlots").asInt()).isEqualTo(HubSpotEmailEventReader.SLICES);
        assertThat(c.path("salesforceCallSlots").asInt()).isEqualTo(4);
        assertThat(report.table()).contains("HubSpot reads in flight, avg of 4", "Salesforce calls in flight, avg of 4");
    }

    @Test
    void withoutAPollThereIsNoCallsInFlightFigure() throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        report.inFlight(JSON.readTree("{\"hubspotReadSpans\": [[1000, 2000]], \"salesforceSpans\": []}"), java.util.List.of(), 4);
        assertThat(JSON.readTree(report.json()).path("closedloop").has("hubspotReadsInFlight")).isFalse();
    }

    @Test
    void atOneHundredMillisecondsHubSpotsBurstLimitBindsTheRead() throws Exception {
        JsonNode c = closedloop(Duration.ofMillis(100), 2);
        // 4 slices × 1,000 events / 0.1 s = 40,000, above 100 calls per 10 s × 1,000 events
        assertThat(c.path("boundStages").path("hubspotRead").asDouble()).isEqualTo(10_000.0);
        assertThat(c.path("boundStages").path("salesforceWrite").asDouble()).isEqualTo(20_000.0);
        assertThat(c.path("boundEventsPerSecond").asDouble()).isEqualTo(10_000.0);
    }

    @Test
    void theSalesforceStageFullAtTheRunsOwnCallsIsItsSlotsOverTheCallsEachActivityCost() throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 60_000, 100, Duration.ofSeconds(1), Duration.ofSeconds(5), 1_000_000, 50);
        // a run at 1 s that wrote 60,000 activities in 303 Salesforce calls: 4 slots × 1 call/s × 60,000 / 303
        JsonNode stats = JSON.readTree("{\"activities\": 60000, \"generated\": 60000, \"salesforceCalls\": 303, \"latencyMs\": {},"
                + " \"feedbackLatencyMs\": {}}");
        report.closedloop(stats, 1000, 784.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);

        JsonNode c = JSON.readTree(report.json()).path("closedloop");
        assertThat(c.path("salesforceBoundAtRunCalls").asDouble()).isEqualTo(792.08);
        assertThat(c.path("boundEventsPerSecond").asDouble()).as("the issue's bound, next to it").isEqualTo(4_000.0);
        assertThat(report.table()).contains("bound at this run's calls, events/s").contains("792.08");
    }

    @Test
    void aRunWithoutSalesforceCallsHasNoSalesforceStageFigure() throws Exception {
        JsonNode c = closedloop(Duration.ofSeconds(1), 4);
        assertThat(c.has("salesforceBoundAtRunCalls")).isFalse();
    }

    @Test
    void theTitleSaysTheDaemonsJvmOptionsButNotItsSystemPropertiesOrAgents() throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        report.jvmOptions(java.util.List.of("-Xmx256m", "-Djavax.net.ssl.keyStorePassword=hunter2", "-XX:CompileThresholdScaling=10",
                "-javaagent:/opt/agent.jar"));
        report.closedloop(JSON.readTree("{\"activities\": 1000, \"generated\": 1000, \"latencyMs\": {}, \"feedbackLatencyMs\": {}}"),
                1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);

        assertThat(report.table()).contains("daemon JVM options: -Xmx256m -XX:CompileThresholdScaling=10 (this process's)")
                .doesNotContain("hunter2").doesNotContain("agent");
        JsonNode options = JSON.readTree(report.json()).path("daemonJvmOptions");
        assertThat(options).hasSize(2);
        assertThat(options.get(1).asText()).isEqualTo("-XX:CompileThresholdScaling=10");

        BenchReport defaults = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        defaults.jvmOptions(java.util.List.of("-Dfile.encoding=UTF-8"));
        defaults.closedloop(JSON.readTree("{\"activities\": 1000, \"generated\": 1000, \"latencyMs\": {}, \"feedbackLatencyMs\": {}}"),
                1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);
        assertThat(defaults.table()).contains("daemon JVM options: the JVM's defaults (this process's)");
    }

    @Test
    void theHeapAllocatedPerThousandEventsAndTheCollectorsPausesAreReported() throws Exception {
        BenchReport report = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        report.closedloop(JSON.readTree("{\"activities\": 4000, \"generated\": 4000, \"latencyMs\": {}, \"feedbackLatencyMs\": {}}"),
                1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);
        // 800 MB over 4,000 events
        report.collector(4000, 800L * 1024 * 1024, 1.234);

        JsonNode c = JSON.readTree(report.json()).path("closedloop");
        assertThat(c.path("allocatedMbPer1000Events").asDouble()).isEqualTo(200.0);
        assertThat(c.path("gcPauseSeconds").asDouble()).isEqualTo(1.23);
        assertThat(report.table()).containsPattern("heap allocated MB / 1,000 events +200\\.00")
                .containsPattern("GC pause seconds +1\\.23");

        BenchReport unknown = new BenchReport(BenchCommand.Mode.LIVE, 1000, 100, Duration.ofMillis(100), Duration.ofSeconds(5), 1_000_000, 50);
        unknown.closedloop(JSON.readTree("{\"activities\": 1000, \"generated\": 1000, \"latencyMs\": {}, \"feedbackLatencyMs\": {}}"),
                1000, 900.0, 1L << 20, 1L << 20, 1.0, 1L << 30, 4);
        unknown.collector(1000, -1, 0.5);
        assertThat(JSON.readTree(unknown.json()).path("closedloop").has("allocatedMbPer1000Events")).isFalse();
        assertThat(unknown.table()).doesNotContain("heap allocated MB");
    }

    @Test
    void theJvmTellsItsAllocationAndCollectionTime() {
        long before = ProcessMeter.allocatedBytes();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[64 * 1024];
        }
        assertThat(garbage[63]).hasSize(64 * 1024);
        assertThat(before).isPositive();
        assertThat(ProcessMeter.allocatedBytes() - before).isGreaterThanOrEqualTo(64L * 64 * 1024);
        assertThat(ProcessMeter.gcSeconds()).isGreaterThanOrEqualTo(0.0);
    }
}
