package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.flow.engagement.SummaryFlusher;
import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary fields go out on their own thread once a poll has committed its window: the poll (and so the next one)
 * does not wait for their Salesforce calls, and a flush that fails leaves them queued for the next one.
 */
class SummaryFlushRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person lead() {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).findFirst().orElseThrow();
    }

    private String click(World.Person p) {
        long created = clock.instant().minusSeconds(60).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("flush-1", created, "CLICK", p.email(), world.campaigns().get(0).id(),
                Map.of("url", "https://www.closedloop.example/pricing")));
        return "email:flush-1:" + created;
    }

    private CamelContext start() throws Exception {
        CamelContext context = emulators.startDaemon().camelContext();
        // the start-up schema check is done: every Composite call below is the poll's or the flush's
        context.getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
        return context;
    }

    private static void pollWithoutWaiting(CamelContext context) throws Exception {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.sendBody("direct:hubspot-email-events-poll", null);
        }
    }

    /** Runs {@code action} as each Composite call arrives once the event is in the ledger: those are the summary flush's. */
    private void onceRecorded(StateStore store, String eventId, Runnable action) {
        emulators.salesforce.faults().latency("salesforce.composite", () -> {
            if (!store.ledger().existing(List.of(eventId)).isEmpty()) {
                action.run();
            }
            return Duration.ZERO;
        });
    }

    @Test
    void aPollCommitsAndReturnsWhileItsSummaryWriteIsStillInFlight() throws Exception {
        World.Person lead = lead();
        String eventId = click(lead);
        CamelContext context = start();
        StateStore store = emulators.startedStore();
        CountDownLatch summaryCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the summary flush's call hangs until released
        onceRecorded(store, eventId, () -> {
            summaryCall.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        pollWithoutWaiting(context);

        assertThat(summaryCall.await(30, TimeUnit.SECONDS)).as("the flush reached Salesforce").isTrue();
        SyncRuns.SyncRun run = store.runs().recent("hubspot-email-events", 1).get(0);
        assertThat(run.status()).as("the poll ended, its cursor committed").isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c")).hasSize(1);
        assertThat(emulators.salesforce.org().get("Lead", lead.sfLeadId()).get(SalesforceNames.MARKETING_ACTIVITY_7D))
                .as("the summary write is still in flight").isNull();
        assertThat(store.summaryQueue().contains(lead.sfLeadId())).isTrue();

        release.countDown();
        emulators.awaitSummaries();
        assertThat(((Number) emulators.salesforce.org().get("Lead", lead.sfLeadId()).get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue())
                .isEqualTo(1);
        assertThat(store.summaryQueue().size()).isZero();
    }

    @Test
    void aFlushThatFailsIsCountedAndLeavesItsRecordsQueuedForTheFlushAfterTheNextPoll() throws Exception {
        World.Person lead = lead();
        String eventId = click(lead);
        CamelContext context = start();
        StateStore store = emulators.startedStore();
        // every call of the summary flush fails with a 503 (more than the client's own tries)
        onceRecorded(store, eventId, () -> emulators.salesforce.faults().failRate("salesforce.composite", Fault.serverError(503), 1.0));

        emulators.poll("hubspot-email-events");

        assertThat(store.runs().recent("hubspot-email-events", 1).get(0).status()).as("the poll itself succeeded")
                .isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(store.summaryQueue().contains(lead.sfLeadId())).as("still queued, not dropped").isTrue();
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(meters.counter(SummaryFlusher.FAILED_METRIC).count()).isEqualTo(1.0);

        emulators.salesforce.faults().clear();
        emulators.poll("hubspot-email-events");

        assertThat(((Number) emulators.salesforce.org().get("Lead", lead.sfLeadId()).get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue())
                .isEqualTo(1);
        assertThat(store.summaryQueue().size()).isZero();
        assertThat(emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c")).as("written once").hasSize(1);
    }
}
