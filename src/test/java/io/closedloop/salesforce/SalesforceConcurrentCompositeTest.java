package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.SyncException;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.testsupport.SalesforceTestCamel;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SALESFORCE_CONCURRENCY}: the Composite calls of one write go out together, as many at once as the setting
 * says, and their answers come back in the order of the calls. Salesforce limits only requests running 20 s or longer
 * (salesforce-app-limits-cheatsheet, "Concurrent API Request Limits").
 */
class SalesforceConcurrentCompositeTest {
    @TempDir
    Path dir;

    private SalesforceTestCamel salesforce;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceTestCamel.start(dir);
        for (int i = 0; i < 30; i++) {
            salesforce.emulator().org().insert("Lead", Map.of("LastName", "n" + i, "Company", "c" + i, "Email", "p" + i + "@example.com"));
        }
    }

    @AfterEach
    void stop() {
        salesforce.close();
    }

    private SalesforceClient client(int concurrency) throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        env.put("SALESFORCE_LOGIN_URL", salesforce.emulator().baseUrl());
        env.put("SALESFORCE_CONCURRENCY", Integer.toString(concurrency));
        return new SalesforceClient(salesforce.camel(), TestSettings.settings(dir, env));
    }

    /** Each Composite call counts itself in flight until {@code together} calls have arrived (or 20 s passed). */
    private void holdCompositeCallsUntil(CountDownLatch together) {
        salesforce.emulator().faults().latency("salesforce.composite", () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            together.countDown();
            try {
                together.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return Duration.ZERO;
        });
    }

    /** 30 queries, five to a Composite call: six calls, each answer in its query's place. */
    private static List<String> queries() {
        List<String> soqls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            soqls.add("SELECT Id, LastName FROM Lead WHERE LastName = 'n" + i + "'");
        }
        return soqls;
    }

    private static void assertInOrder(List<List<JsonNode>> results) {
        assertThat(results).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(results.get(i)).as("query " + i).singleElement().satisfies(r -> assertThat(r.path("LastName").asText()).isNotEmpty());
            assertThat(results.get(i).get(0).path("LastName").asText()).as("query " + i).isEqualTo("n" + i);
        }
    }

    @Test
    void fourCallsAreInFlightTogetherAndTheAnswersKeepTheirOrder() throws Exception {
        SalesforceClient client = client(4);
        holdCompositeCallsUntil(new CountDownLatch(4));

        List<List<JsonNode>> results = client.queries(queries());

        assertThat(maxInFlight.get()).as("calls in flight at once").isEqualTo(4);
        assertThat(client.calls()).isEqualTo(6);
        assertThat(salesforce.emulator().journal().count("salesforce.composite")).isEqualTo(6);
        assertInOrder(results);
    }

    @Test
    void concurrencyOneSendsOneCallAtATime() throws Exception {
        SalesforceClient client = client(1);
        // with one call at a time the latch never fills: each call waits it out alone, so keep the wait short
        salesforce.emulator().faults().latency("salesforce.composite", () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            inFlight.decrementAndGet();
            return Duration.ofMillis(20);
        });

        List<List<JsonNode>> results = client.queries(queries());

        assertThat(maxInFlight.get()).isEqualTo(1);
        assertInOrder(results);
    }

    @Test
    void aFailedCallIsThrownOnlyOnceEveryOtherCallOfTheWriteHasAnswered() throws Exception {
        SalesforceClient client = client(4);
        holdCompositeCallsUntil(new CountDownLatch(4));
        salesforce.emulator().faults().script("salesforce.composite", Fault.serverError(503));

        assertThatThrownBy(() -> client.queries(queries())).isInstanceOf(SyncException.class);

        assertThat(inFlight.get()).as("calls still in flight when the failure is thrown").isZero();
        assertThat(salesforce.emulator().journal().count("salesforce.composite")).isEqualTo(6);
    }
}
