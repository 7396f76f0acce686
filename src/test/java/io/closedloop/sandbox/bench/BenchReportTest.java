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
    void atOneHundredMillisecondsHubSpotsBurstLimitBindsTheRead() throws Exception {
        JsonNode c = closedloop(Duration.ofMillis(100), 2);
        // 4 slices × 1,000 events / 0.1 s = 40,000, above 100 calls per 10 s × 1,000 events
        assertThat(c.path("boundStages").path("hubspotRead").asDouble()).isEqualTo(10_000.0);
        assertThat(c.path("boundStages").path("salesforceWrite").asDouble()).isEqualTo(20_000.0);
        assertThat(c.path("boundEventsPerSecond").asDouble()).isEqualTo(10_000.0);
    }
}
