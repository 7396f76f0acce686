package io.closedloop.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's start with the store migrating on its own thread while Camel is configured: the start joins the
 * migration before any route starts, so a schema that cannot be migrated starts no route, and the runs a stopped
 * daemon left running are ended before the first poll.
 */
class RuntimeStartTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private StateStore store() {
        return StateStore.open(io.closedloop.testsupport.TestSettings.settings(dir, emulators.env()), clock);
    }

    @Test
    void aRunAStoppedDaemonLeftRunningIsEndedWhenTheNextDaemonStartsNotWhenAReplayDoes() throws Exception {
        long left;
        try (StateStore store = store()) {
            left = store.runs().start("hubspot-email-events");
        }
        try (ClosedloopRuntime replay = new ClosedloopRuntime(io.closedloop.testsupport.TestSettings.settings(dir, emulators.env()), clock,
                ClosedloopRuntime.ROUTES, ClosedloopRuntime.replayOnly())) {
            replay.start();
            assertThat(run(replay.store(), left).status()).as("after a replay started").isEqualTo(SyncRuns.Status.RUNNING);
        }

        ClosedloopRuntime daemon = emulators.startDaemon(emulators.env(), Map.of());
        SyncRuns.SyncRun ended = run(daemon.store(), left);
        assertThat(ended.status()).isEqualTo(SyncRuns.Status.FAILED);
        assertThat(ended.error()).isEqualTo("abandoned: the daemon stopped during the run");
    }

    private static SyncRuns.SyncRun run(StateStore store, long id) {
        return store.runs().recent("hubspot-email-events", 10).stream().filter(r -> r.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aSchemaThatCannotBeMigratedRefusesTheStartWithTheMigrationsFailureAndStartsNoRoute() throws Exception {
        try (StateStore store = store(); var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            // a history Flyway refuses: the first migration's checksum no longer matches the shipped file
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = 1 WHERE \"version\" = '1'");
        }
        RouteStartMarker.STARTS.set(0);
        Throwable refused = catchThrowable(() -> startWithMarker());
        assertThat(refused).as("the start").isNotNull();
        assertThat(chain(refused)).anySatisfy(t -> {
            assertThat(t).isInstanceOf(org.flywaydb.core.api.FlywayException.class);
            assertThat(t.getMessage()).contains("checksum mismatch");
        });
        assertThat(RouteStartMarker.STARTS).as("routes started").hasValue(0);
    }

    @Test
    void theMarkerRouteStartsWithADaemonWhoseSchemaMigrates() throws Exception {
        RouteStartMarker.STARTS.set(0);
        startWithMarker();
        assertThat(RouteStartMarker.STARTS).as("routes started").hasValue(1);
    }

    /** The daemon's routes and a test route whose policy counts its starts. */
    private ClosedloopRuntime startWithMarker() throws Exception {
        return emulators.startDaemon(emulators.env(), Map.of("camel.main.routes-include-pattern",
                ClosedloopRuntime.ROUTES + ",classpath:start-marker/*.camel.yaml"));
    }

    private static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
