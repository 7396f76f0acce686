package io.closedloop.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.closedloop.core.Leadership;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.ops.LeadershipHealthCheck;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.testsupport.EmbeddedPostgresSupport;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on one PostgreSQL: one leads and runs the scheduled routes, the other is a ready standby; a graceful
 * stop hands the lead over at once; a leader whose election session the server ends stops leading (fencing).
 */
class ReplicaLeadershipRouteTest {
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    private Emulators emulators;
    private final List<ClosedloopRuntime> runtimes = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgresSupport.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ClosedloopRuntime r : runtimes) {
            r.close();
        }
        if (emulators != null) {
            emulators.close();
        }
    }

    private ClosedloopRuntime replica(String name) throws Exception {
        if (emulators == null) {
            emulators = new Emulators(dir, Clock.systemUTC());
        }
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("CLOSEDLOOP_DB_USER", "postgres");
        env.put("CLOSEDLOOP_LEADER_LEASE", "2s");
        env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(TestSettings.freePort()));
        // one JVM, so each replica gets a Quartz scheduler of its own; the retention job fires at 03:15 only
        ClosedloopRuntime r = new ClosedloopRuntime(TestSettings.settings(dir, env), Clock.systemUTC(), ClosedloopRuntime.ROUTES,
                Map.of("camel.main.name", name, "closedloop.flow.state-retention", "true",
                        "closedloop.flow.hubspot-email-events", "false", "closedloop.flow.hubspot-form-submissions", "false",
                        "closedloop.flow.hubspot-contact-changes", "false", "closedloop.flow.salesforce-dispositions", "false",
                        "closedloop.flow.hubspot-list-memberships", "false", "closedloop.flow.sla-watch", "false",
                        "closedloop.flow.salesforce-unmatched-retry", "false"));
        runtimes.add(r);
        r.start();
        return r;
    }

    private static ServiceStatus retention(ClosedloopRuntime r) {
        return r.camelContext().getRouteController().getRouteStatus("state-retention");
    }

    private static String health(ClosedloopRuntime r) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + r.settings().httpPort() + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        return res.statusCode() + " " + res.body();
    }

    private static Object roleDetail(ClosedloopRuntime r) {
        return HealthCheckHelper.invoke(r.camelContext()).stream().filter(h -> h.getCheck().getId().equals("role")).findFirst()
                .orElseThrow().getDetails().get("role");
    }

    @Test
    void oneReplicaLeadsTheOtherStandsByAndAGracefulStopHandsTheLeadOverAtOnce() throws Exception {
        ClosedloopRuntime a = replica("replica-a");
        ClosedloopRuntime b = replica("replica-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leadership().leads() || b.leadership().leads());
        ClosedloopRuntime leader = a.leadership().leads() ? a : b;
        ClosedloopRuntime standby = leader == a ? b : a;
        assertThat(standby.leadership().leads()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> retention(leader) == ServiceStatus.Started);
        assertThat(retention(standby)).isNotEqualTo(ServiceStatus.Started);
        // a flow switched off stays off on the leader too
        assertThat(leader.camelContext().getRouteController().getRouteStatus("hubspot-email-events-source")).isNotEqualTo(ServiceStatus.Started);
        assertThat(LeadershipHealthCheck.role(leader.leadership())).isEqualTo("leader");
        // a standby is ready: it serves health, metrics and replay
        assertThat(health(standby)).startsWith("200").contains("{\"name\":\"role\",\"status\":\"UP\"}");
        assertThat(roleDetail(standby)).isEqualTo("standby");
        assertThat(roleDetail(leader)).isEqualTo("leader");
        long term = leader.leadership().term();

        long stopped = System.nanoTime();
        leader.close();
        runtimes.remove(leader);
        await().atMost(Duration.ofSeconds(5)).until(() -> standby.leadership().leads());
        System.out.printf("graceful stop: the standby led after %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
        assertThat(standby.leadership().term()).isGreaterThan(term);
        await().atMost(Duration.ofSeconds(10)).until(() -> retention(standby) == ServiceStatus.Started);
    }

    @Test
    void aLeaderWhoseDatabaseSessionEndsStopsLeadingAndItsOldTermIsFenced() throws Exception {
        ClosedloopRuntime a = replica("replica-c");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leadership().leads());
        Leadership fence = a.store().fence();
        long term = fence.term();
        fence.verify("a write");
        ClosedloopRuntime b = replica("replica-d");
        assertThat(b.leadership().leads()).isFalse();

        // the server ends the leader's election session, as it does when the leader's network is gone
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'closedloop-leader-election'"
                    + " AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leadership().term() > term || b.leadership().term() > term);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leadership().leads() ^ b.leadership().leads());
        ClosedloopRuntime leader = a.leadership().leads() ? a : b;
        assertThat(leader.leadership().term()).isGreaterThan(term);
        await().atMost(Duration.ofSeconds(10)).until(() -> retention(leader) == ServiceStatus.Started);
        ClosedloopRuntime other = leader == a ? b : a;
        await().atMost(Duration.ofSeconds(10)).until(() -> retention(other) != ServiceStatus.Started);
        assertThatThrownBy(() -> other.store().fence().verify("a note")).isInstanceOf(RetriableSyncException.class)
                .hasMessageContaining("a note");
        // the old leader's cursor write is refused, the new leader's goes through
        assertThatThrownBy(() -> other.store().cursors().put("hubspot-email-events", "stale")).isInstanceOf(RetriableSyncException.class);
        leader.store().fence().verify("a note");
        leader.store().cursors().put("hubspot-email-events", "current");
        assertThat(other.store().cursors().get("hubspot-email-events")).contains("current");
    }
}
