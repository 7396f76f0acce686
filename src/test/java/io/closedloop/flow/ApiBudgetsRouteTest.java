package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.salesforce.SalesforceBudget;
import io.closedloop.state.MutableClock;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets, backoff, pauses, the circuit breakers and auth failures, through the real routes against the emulators. */
class ApiBudgetsRouteTest {
    private static final String SOURCE = "hubspot-email-events";
    private static final String POLL_ROUTE = SOURCE + "-poll";

    @TempDir
    Path dir;

    private Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private long eventSeq;

    private void emulators(UnaryOperator<io.closedloop.sandbox.salesforce.SalesforceEmulator.Config> salesforce) throws Exception {
        emulators = new Emulators(dir, clock, salesforce, UnaryOperator.identity());
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
    }

    /** Opens a minute ago by people Salesforce knows; returns their event ids as the activities carry them. */
    private List<String> opens(int n) {
        return opens(n, 60);
    }

    private List<String> opens(int n, int ageSeconds) {
        List<String> ids = new ArrayList<>();
        List<World.Person> known = world.people().stream().filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null)
                .limit(n).toList();
        for (World.Person p : known) {
            long created = clock.instant().minusSeconds(ageSeconds).toEpochMilli() + eventSeq++;
            String id = "evt-" + eventSeq;
            emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, "OPEN", p.email(), world.campaigns().get(0).id(), Map.of()));
            ids.add("email:" + id + ":" + created);
        }
        return ids;
    }

    private List<String> writtenEventIds() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c").stream()
                .map(r -> (String) r.get("Closedloop_Event_Id__c")).toList();
    }

    private SyncRuns.Status lastRun() {
        return emulators.startedStore().runs().recent(SOURCE, 1).get(0).status();
    }

    private String get(ClosedloopRuntime runtime, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.settings().httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private void awaitSchemaVerdict(ClosedloopRuntime runtime) throws InterruptedException {
        for (int i = 0; i < 100 && "unknown".equals(runtime.schemaGate().status()); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void a429WithRetryAfterIsWaitedOutAndTheBatchIsWrittenOnce() throws Exception {
        emulators(UnaryOperator.identity());
        List<String> expected = opens(4);
        emulators.hubspot.faults().script("hubspot.email.events", Fault.rateLimit("TEN_SECONDLY_ROLLING", Duration.ofSeconds(1)));
        emulators.startDaemon();

        emulators.poll(SOURCE);

        assertThat(writtenEventIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lastRun()).isEqualTo(SyncRuns.Status.SUCCEEDED);
        List<CallJournal.Call> reads = emulators.hubspot.journal().calls().stream()
                .filter(c -> c.endpoint().equals("hubspot.email.events")).toList();
        assertThat(reads).extracting(CallJournal.Call::status).containsExactly(429, 200);
        // the second read came only after the one second HubSpot asked for
        assertThat(Duration.between(reads.get(0).at(), reads.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));

        emulators.poll(SOURCE);
        assertThat(writtenEventIds()).hasSize(expected.size());
    }

    @Test
    void oneFailedCallIsOneRequestBecauseHttpClientDoesNotRetry() throws Exception {
        emulators(UnaryOperator.identity());
        emulators.hubspot.faults().script("hubspot.email.events", Fault.serverError(503), Fault.rateLimit("SECONDLY"));
        emulators.startDaemon(emulators.env(), Map.of("closedloop.retry.max-redeliveries", "0"));

        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(1);
        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(2);

        // with redeliveries each attempt is exactly one request too
        emulators.hubspot.faults().failRate("hubspot.email.events", Fault.serverError(502), 1.0);
        emulators.stopDaemon();
        emulators.hubspot.journal().reset();
        emulators.startDaemon(emulators.env(), Map.of("closedloop.retry.max-redeliveries", "2", "closedloop.circuit-breaker.failures", "50"));
        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(3);
    }

    @Test
    void aSpentSalesforceSharePausesFlowOneWithNoCallsAndResumesWhenTheAllocationRecovers() throws Exception {
        MutableClock mutable = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(23)));
        clock = mutable;
        emulators(c -> c.withDailyApiLimit(20));
        Map<String, String> env = emulators.env();
        env.put("SALESFORCE_DAILY_SHARE", "50%");
        ClosedloopRuntime runtime = emulators.startDaemon(env, Map.of());
        awaitSchemaVerdict(runtime);
        List<String> expected = new ArrayList<>();
        // each poll writes through Salesforce until the org has used 10 of its 20 calls
        for (int i = 0; i < 25 && runtime.salesforceBudget().pause().isEmpty(); i++) {
            expected.addAll(opens(1, 0));
            // past the reader's settle time, so the new open is read
            mutable.advance(Duration.ofSeconds(10));
            emulators.poll(SOURCE);
        }
        assertThat(runtime.salesforceBudget().pause()).isPresent();
        assertThat(runtime.salesforceBudget().remaining()).isZero();

        // engagement that happens while Salesforce is paused, after the cursor of the last written batch
        expected.addAll(opens(2, 0));
        long salesforceCalls = emulators.salesforce.journal().total();
        // past the settle time: the polls read the new opens and would write them (the summary flush runs apart)
        mutable.advance(Duration.ofSeconds(10));
        emulators.poll(SOURCE);
        emulators.poll(SOURCE);
        assertThat(emulators.salesforce.journal().total()).as("no Salesforce call while the share is spent").isEqualTo(salesforceCalls);
        assertThat(lastRun()).isEqualTo(SyncRuns.Status.FAILED);
        assertThat(runtime.flowHealth().pausedFlows()).containsKey(POLL_ROUTE);
        assertThat(runtime.flowHealth().pausedFlows().get(POLL_ROUTE).reason()).contains("Salesforce daily API share spent");
        assertThat(runtime.flowHealth().allRunning()).isTrue();
        String health = get(runtime, "/observe/health");
        assertThat(health).contains("salesforce paused until").contains("\"UP\"");
        String metrics = get(runtime, "/observe/metrics");
        assertThat(metrics).contains("closedloop_api_paused{api=\"salesforce\"} 1.0")
                .contains("closedloop_api_budget_remaining{api=\"salesforce\"} 0.0")
                .contains("closedloop_api_budget_limit{api=\"salesforce\"} 10.0")
                .contains("closedloop_api_budget_remaining{api=\"hubspot\"}");

        // a new day in the org's rolling count, and the recheck interval has passed: the probe resumes the flow
        mutable.advance(Duration.ofHours(1));
        assertThat(Duration.ofHours(1)).isGreaterThan(SalesforceBudget.RECHECK);
        emulators.poll(SOURCE);
        assertThat(runtime.salesforceBudget().pause()).isEmpty();
        assertThat(lastRun()).isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(writtenEventIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(runtime.flowHealth().pausedFlows()).isEmpty();
    }

    @Test
    void theCircuitOpensAfterRepeated5xxAndHalfOpensLater() throws Exception {
        emulators(UnaryOperator.identity());
        List<String> expected = opens(2);
        emulators.hubspot.faults().failRate("hubspot.email.events", Fault.serverError(503), 1.0);
        ClosedloopRuntime runtime = emulators.startDaemon(emulators.env(),
                Map.of("closedloop.circuit-breaker.failures", "3", "closedloop.circuit-breaker.open-ms", "800"));

        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(3);
        assertThat(runtime.hubspotBudget().circuitState()).isEqualTo("OPEN");

        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).as("no call while open").isEqualTo(3);
        assertThat(runtime.flowHealth().pausedFlows().get(POLL_ROUTE).reason()).contains("circuit open");

        Thread.sleep(1000);
        emulators.hubspot.faults().clear();
        emulators.poll(SOURCE);
        assertThat(runtime.hubspotBudget().circuitState()).isEqualTo("CLOSED");
        assertThat(writtenEventIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(4);
    }

    @Test
    void aWrongSalesforceSecretStopsTheFlowWithFewLoginsAndAFixedOneRunsAfterRestart() throws Exception {
        emulators(UnaryOperator.identity());
        List<String> expected = opens(2);
        Map<String, String> wrong = emulators.env();
        wrong.put("SALESFORCE_CLIENT_SECRET", "not-the-secret");
        ClosedloopRuntime runtime = emulators.startDaemon(wrong, Map.of());
        awaitSchemaVerdict(runtime);
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-form-submissions");
        emulators.poll("hubspot-contact-changes");

        assertThat(runtime.flowHealth().allRunning()).isFalse();
        assertThat(runtime.flowHealth().stoppedFlows().get(POLL_ROUTE).reason()).contains("invalid_client");
        assertThat(get(runtime, "/observe/health")).contains("\"DOWN\"");
        // the startup check logs in once; every later attempt is refused without calling Salesforce
        assertThat(emulators.salesforce.journal().count("salesforce.token")).isBetween(1L, 2L);
        assertThat(emulators.salesforce.journal().total() - emulators.salesforce.journal().count("salesforce.token")).isZero();
        assertThat(writtenEventIds()).isEmpty();

        emulators.stopDaemon();
        runtime = emulators.startDaemon();
        emulators.poll(SOURCE);
        assertThat(runtime.flowHealth().allRunning()).isTrue();
        assertThat(writtenEventIds()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aRejectedHubSpotTokenStopsTheFlowAfterOneCall() throws Exception {
        emulators(UnaryOperator.identity());
        Map<String, String> wrong = emulators.env();
        wrong.put("HUBSPOT_ACCESS_TOKEN", "pat-na1-99999999-wrong-0000-000000000000");
        ClosedloopRuntime runtime = emulators.startDaemon(wrong, Map.of());
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-form-submissions");
        emulators.poll("hubspot-contact-changes");
        assertThat(emulators.hubspot.journal().total()).isEqualTo(1);
        assertThat(runtime.flowHealth().stoppedFlows().get(POLL_ROUTE).reason()).contains("INVALID_AUTHENTICATION");
    }
}
