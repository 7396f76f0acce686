package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code SALESFORCE_TIMEOUT} (default 120 s): a Salesforce call slower than camel-salesforce's own 10 s idle timeout is
 * waited for. With the library's default, the call failed with status 0, the poll was retried and every record of it
 * sent again.
 */
class SalesforceSlowAnswerRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        log.start();
        // Camel's error handler says here when a step failed and is delivered again
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        emulators.close();
    }

    @Test
    void aCompositeCallAnsweredAfterTwelveSecondsIsWaitedForAndNothingIsSentTwice() throws Exception {
        World.Person lead = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        long created = clock.instant().minusSeconds(60).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("slow-1", created, "CLICK", lead.email(), world.campaigns().get(0).id(),
                Map.of("url", "https://www.closedloop.example/pricing")));
        var runtime = emulators.startDaemon();
        // the start-up schema check is done (verify waits for it): the slow call below is one of the poll's own
        runtime.camelContext().getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
        AtomicInteger composites = new AtomicInteger();
        // the poll's first Composite call (the identity query or the write) answers after 12 s
        emulators.salesforce.faults().latency("salesforce.composite",
                () -> composites.getAndIncrement() == 0 ? Duration.ofSeconds(12) : Duration.ZERO);

        emulators.poll("hubspot-email-events");

        SyncRuns.SyncRun run = emulators.startedStore().runs().recent("hubspot-email-events", 1).get(0);
        assertThat(run.status()).as("the slow call is an answer, not a failure").isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(run.error()).isNull();
        List<Map<String, Object>> activities = emulators.salesforce.org().query(
                "SELECT Closedloop_Event_Id__c, Lead__c FROM Marketing_Activity__c");
        assertThat(activities).singleElement().satisfies(a -> assertThat(a.get("Lead__c")).isEqualTo(lead.sfLeadId()));
        assertThat(composites.get()).as("the slow call was made").isPositive();
        // no step failed and was delivered again: nothing was sent twice
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("Failed delivery") || m.contains("Unexpected error"));
    }
}
