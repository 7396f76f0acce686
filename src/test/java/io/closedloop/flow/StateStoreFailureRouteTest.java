package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state store failure between Salesforce's confirmation and the ledger, through the real engagement routes on H2. */
class StateStoreFailureRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = emulators.startedStore().dataSource().getConnection()) {
            c.createStatement().execute(statement);
        }
    }

    @Test
    void aQueueFailureAfterTheWriteLeavesTheEventUnrecordedEndsTheRunFailedAndTheNextPollWritesTheSummary() throws Exception {
        World.Person lead = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        long created = clock.instant().minusSeconds(60).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("e1", created, "OPEN", lead.email(),
                world.campaigns().get(0).id(), Map.of()));
        String eventId = "email:e1:" + created;
        emulators.startDaemon();
        StateStore store = emulators.startedStore();

        sql("ALTER TABLE summary_pending RENAME TO summary_pending_away");
        // a classified failure: handled by the route, so nothing escapes the poll
        emulators.poll("hubspot-email-events");
        SyncRuns.SyncRun run = store.runs().recent("hubspot-email-events", 1).get(0);
        assertThat(run.status()).isEqualTo(SyncRuns.Status.FAILED);
        assertThat(run.error()).contains("summary_pending").doesNotContain(lead.email());
        // the ledger row went with the failed queue row, so the event is not taken as written
        assertThat(store.ledger().existing(List.of(eventId))).isEmpty();

        sql("ALTER TABLE summary_pending_away RENAME TO summary_pending");
        emulators.poll("hubspot-email-events");
        assertThat(store.ledger().existing(List.of(eventId))).containsExactly(eventId);
        Map<String, Object> sf = emulators.salesforce.org().get("Lead", lead.sfId());
        assertThat(((Number) sf.get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(1);
        assertThat(sf.get(SalesforceNames.LAST_MARKETING_ACTIVITY_AT)).isNotNull();
        assertThat(store.summaryQueue().size()).isZero();
        assertThat(store.runs().recent("hubspot-email-events", 1).get(0).status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
    }
}
