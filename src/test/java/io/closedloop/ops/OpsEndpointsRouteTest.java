package io.closedloop.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.state.ParkedRecords;
import io.closedloop.core.ErrorKind;
import io.closedloop.testsupport.TestSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots the real daemon (Camel Main, YAML routes, state store, ops server) with test flows that fail. */
class OpsEndpointsRouteTest {
    @TempDir
    Path dir;

    private ClosedloopRuntime runtime;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        var settings = TestSettings.settings(dir, TestSettings.env(dir));
        port = settings.httpPort();
        runtime = new ClosedloopRuntime(settings, Clock.systemUTC(),
                ClosedloopRuntime.ROUTES + ",classpath:test-routes/*.camel.yaml",
                Map.of("closedloop.retry.max-redeliveries", "2", "closedloop.retry.initial-delay-ms", "10",
                        "closedloop.flow.hubspot-email-events", "false", "closedloop.flow.hubspot-form-submissions", "false",
                        "closedloop.flow.hubspot-contact-changes", "false", "closedloop.flow.salesforce-unmatched-retry", "false",
                        "closedloop.flow.hubspot-list-memberships", "false", "closedloop.flow.salesforce-dispositions", "false",
                        "closedloop.flow.sla-watch", "false"));
        runtime.start();
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWhenEveryFlowRuns() throws Exception {
        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"UP\"");
    }

    @Test
    void fatalErrorStopsTheFlowAndHealthGoesDownWithTheReason() throws Exception {
        runtime.camelContext().createProducerTemplate().sendBody("direct:fatal", "x");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                runtime.camelContext().getRouteController().getRouteStatus("test-fatal-flow") == ServiceStatus.Stopped);
        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).startsWith("{\"status\":\"DOWN\"")
                .contains("test-fatal-flow stopped: Salesforce rejected the login: invalid_client_id");
        HttpResponse<String> ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        // other flows keep running
        assertThat(runtime.camelContext().getRouteController().getRouteStatus("test-skippable-flow")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void skippableErrorParksTheRecordWithItsReasonRedacted() {
        runtime.camelContext().createProducerTemplate().sendBodyAndHeader("direct:skippable", "{\"event\":1}",
                "ClosedloopRecordKey", "evt-42");

        var parked = runtime.store().parked().find("test-skippable-flow", "evt-42").orElseThrow();
        assertThat(parked.errorKind()).isEqualTo(ErrorKind.SKIPPABLE);
        assertThat(parked.payload()).isEqualTo("{\"event\":1}");
        assertThat(parked.reason()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad value for [email]");
        assertThat(parked.status()).isEqualTo(ParkedRecords.Status.PARKED);
    }

    @Test
    void retriableErrorIsRedeliveredABoundedNumberOfTimesThenParked() throws Exception {
        MockEndpoint attempts = runtime.camelContext().getEndpoint("mock:attempt", MockEndpoint.class);
        AtomicInteger redeliveries = new AtomicInteger();
        runtime.camelContext().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
                    redeliveries.incrementAndGet();
                }
            }
        });
        runtime.camelContext().createProducerTemplate().sendBodyAndHeader("direct:retriable", "{}",
                "ClosedloopRecordKey", "evt-7");

        // two redeliveries as configured; redelivery repeats only the failing step, so the step before it ran once
        assertThat(redeliveries).hasValue(2);
        assertThat(attempts.getReceivedCounter()).isEqualTo(1);
        var parked = runtime.store().parked().find("test-retriable-flow", "evt-7").orElseThrow();
        assertThat(parked.errorKind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(parked.reason()).isEqualTo("HTTP 503 SERVER_UNAVAILABLE");
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        runtime.camelContext().createProducerTemplate().sendBodyAndHeader("direct:skippable", "{}", "ClosedloopRecordKey", "m1");
        HttpResponse<String> metrics = get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE").contains("jvm_memory_used_bytes");
        assertThat(metrics.body()).contains("camel_exchanges_total{camelContext=\"closedloop\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"test-skippable-flow\"} 1.0");
    }

    @Test
    void metricsShowTheSummaryWritesWaitingAndHowLongTheOldestHasWaited() throws Exception {
        assertThat(get("/observe/metrics").body()).contains("closedloop_summary_queue_records 0.0", "closedloop_summary_queue_oldest_seconds 0.0");
        var queue = runtime.store().summaryQueue();
        queue.add(java.util.List.of(new io.closedloop.state.SummaryQueue.Pending("00QL00000000001AAA", "Lead")));
        Thread.sleep(1_200);
        // queued again: it keeps its first time
        queue.add(java.util.List.of(new io.closedloop.state.SummaryQueue.Pending("00QL00000000001AAA", "Lead"),
                new io.closedloop.state.SummaryQueue.Pending("001L00000000001AAA", "Account")));

        String body = get("/observe/metrics").body();
        assertThat(body).contains("closedloop_summary_queue_records 2.0");
        java.util.regex.Matcher oldest = java.util.regex.Pattern.compile("(?m)^closedloop_summary_queue_oldest_seconds (\\S+)$").matcher(body);
        assertThat(oldest.find()).isTrue();
        assertThat(Double.parseDouble(oldest.group(1))).isGreaterThanOrEqualTo(1.2);

        queue.remove(queue.next(10));
        assertThat(get("/observe/metrics").body()).contains("closedloop_summary_queue_records 0.0", "closedloop_summary_queue_oldest_seconds 0.0");
    }

    @Test
    void metricsSeparatePeopleWaitingForAMatchFromFailures() throws Exception {
        ParkedRecords parked = runtime.store().parked();
        parked.park("hubspot-email-events", "email:1", "{}", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        parked.park("hubspot-email-events", "email:2", "{}", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        parked.park("hubspot-form-submissions", "form:1", "{}", "bad picklist", ErrorKind.SKIPPABLE, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        String body = get("/observe/metrics").body();
        assertThat(body).contains(
                "closedloop_parked_records{flow=\"hubspot-email-events\",reason=\"UNMATCHED\",state=\"waiting\"} 2.0",
                "closedloop_parked_records{flow=\"hubspot-form-submissions\",reason=\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\",state=\"failed\"} 1.0");
        // read from the store at each scrape: a record resolved since the last scrape is gone at the next
        parked.markResolved(parked.find("hubspot-form-submissions", "form:1").orElseThrow().id());
        assertThat(get("/observe/metrics").body()).doesNotContain("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
                .contains("closedloop_parked_records{flow=\"hubspot-form-submissions\",reason=\"none\",state=\"failed\"} 0.0");
    }

    @Test
    void everyMetricWorthAlertingOnIsThereFromTheFirstScrape() throws Exception {
        String body = get("/observe/metrics").body();
        for (String flow : java.util.List.of("hubspot-email-events", "hubspot-form-submissions", "hubspot-contact-changes",
                "hubspot-list-memberships", "salesforce-dispositions")) {
            assertThat(body).contains("closedloop_last_success_timestamp_seconds{flow=\"" + flow + "\"} 0.0",
                    "closedloop_cursor_lag_seconds{flow=\"" + flow + "\"} 0.0", "closedloop_run_duration_seconds{flow=\"" + flow + "\"} 0.0",
                    "closedloop_parked_records{flow=\"" + flow + "\",reason=\"none\",state=\"failed\"} 0.0");
        }
        assertThat(body).contains("closedloop_sla_open 0.0", "closedloop_sla_breached_total 0.0", "closedloop_state_store_up 1.0",
                "closedloop_flow_stopped{flow=\"sla-watch\"} 0.0", "closedloop_poll_interval_seconds 1.0",
                "closedloop_api_budget_used_ratio{api=\"hubspot\"}", "closedloop_api_budget_remaining{api=\"salesforce\"}");
    }

    @Test
    void aSuccessfulRunSetsLastSuccessAndDurationFromTheStore() throws Exception {
        var runs = runtime.store().runs();
        long id = runs.start("hubspot-email-events");
        runs.finish(id, io.closedloop.state.SyncRuns.Status.SUCCEEDED, io.closedloop.state.SyncRuns.Counts.NONE, null);
        var finished = runs.recent("hubspot-email-events", 1).get(0).finishedAt();
        String body = get("/observe/metrics").body();
        String line = body.lines().filter(l -> l.startsWith("closedloop_last_success_timestamp_seconds{flow=\"hubspot-email-events\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isCloseTo(finished.toEpochMilli() / 1000.0,
                org.assertj.core.data.Offset.offset(0.01));
    }
}
