package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running daemon and started again: readiness goes DOWN with the reason at the next poll,
 * the flows pause without writing anything, and once the database is back everything read is written exactly once.
 */
class StateStoreOutageRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newHttpClient();
    private Emulators emulators;
    private EmbeddedPostgres postgres;

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws Exception {
        return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).setPort(port)
                .setDataDirectory(dir.resolve("pgdata")).setCleanDataDirectory(false).start();
    }

    private HttpResponse<String> ready(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long activities(World.Person p) {
        return emulators.salesforce.org().all(SalesforceNames.MARKETING_ACTIVITY).stream()
                .filter(a -> p.sfId().equals(a.get(SalesforceNames.ACTIVITY_LEAD)) || p.sfId().equals(a.get(SalesforceNames.ACTIVITY_CONTACT)))
                .count();
    }

    @Test
    void aStoppedDatabaseTurnsReadinessDownPausesTheFlowsAndLosesOrDuplicatesNothingWhenItReturns() throws Exception {
        int pgPort = TestSettings.freePort();
        postgres = startPostgres(pgPort);
        emulators = new Emulators(dir, clock);
        World world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        World.Person person = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres");
        env.put("CLOSEDLOOP_DB_USER", "postgres");
        env.put("CLOSEDLOOP_DB_PASSWORD", "postgres");
        // a paused flow shows as paused until its next poll would ask again
        env.put("CLOSEDLOOP_POLL_INTERVAL", "30s");
        long first = clock.instant().minusSeconds(120).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("o1", first, "OPEN", person.email(), world.campaigns().get(0).id(), Map.of()));
        var runtime = emulators.startDaemon(env, Map.of());
        int port = runtime.settings().httpPort();
        emulators.poll("hubspot-email-events");
        assertThat(activities(person)).isEqualTo(1);
        assertThat(ready(port).statusCode()).isEqualTo(200);

        // an event just after where the first poll left off: the next poll that runs reads it
        long second = io.closedloop.state.TimeWindowCursor.parse(runtime.store().cursors().get("hubspot-email-events").orElseThrow())
                .watermark().toEpochMilli() + 500;
        postgres.close();
        postgres = null;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("o2", second, "CLICK", person.email(),
                world.campaigns().get(0).id(), Map.of()));
        long salesforceCalls = emulators.salesforce.journal().total();
        long hubspotCalls = emulators.hubspot.journal().total();
        emulators.poll("hubspot-email-events");
        // the poll paused before any call: nothing was read that could not be recorded
        assertThat(emulators.salesforce.journal().total()).isEqualTo(salesforceCalls);
        assertThat(emulators.hubspot.journal().total()).isEqualTo(hubspotCalls);
        HttpResponse<String> down = ready(port);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("state store unavailable", "flows paused");
        assertThat(runtime.flowHealth().pausedFlows()).containsKey("hubspot-email-events-poll");

        postgres = startPostgres(pgPort);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> ready(port).statusCode() == 200);
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-email-events");

        assertThat(activities(person)).isEqualTo(2);
        List<String> ids = List.of("email:o1:" + first, "email:o2:" + second);
        assertThat(runtime.store().ledger().existing(ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(runtime.store().runs().recent("hubspot-email-events", 1).get(0).status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
    }
}
