package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A stop that comes while a poll waits between retries: the stop drops the pending retry at once rather than waiting
 * out the backoff until the shutdown timeout forces the routes down (which logged the rejected poll as an ERROR).
 * No ERROR, no run left RUNNING, the cursor stays where it was.
 */
class ShutdownDuringPollRouteTest {
    @TempDir
    Path dir;

    private Emulators emulators;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void tearDown() throws Exception {
        root.detachAppender(log);
        if (emulators != null) {
            emulators.close();
        }
    }

    @Test
    void aStopWhileAScheduledPollWaitsToRetryDropsTheRetryLogsNoErrorAndLeavesNoRunRunning() throws Exception {
        emulators = new Emulators(dir, Clock.systemUTC());
        emulators.hubspot.faults().failRate("hubspot.email.events", Fault.serverError(503), 1.0);
        log.start();
        root.addAppender(log);
        // the real trigger: the scheduler fires the email source once at start, the poll fails and waits to retry
        emulators.startDaemon(emulators.env(), Map.of(
                "closedloop.flow.hubspot-email-events", "true",
                "closedloop.poll-interval-ms", "3600000",
                "camel.main.shutdown-timeout", "10",
                "closedloop.retry.max-redeliveries", "5",
                "closedloop.retry.initial-delay-ms", "20000"));
        await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(log.list).stream()
                .anyMatch(e -> e.getFormattedMessage().contains("On delivery attempt: 0")));

        emulators.stopDaemon();

        assertThat(errors()).isEmpty();
        // the stop did not wait out the backoff until the shutdown timeout forced the routes down
        assertThat(messages())
                .noneMatch(m -> m.contains("Forcing the routes to be shutdown"))
                .anyMatch(m -> m.contains("flow hubspot-email-events-source interrupted by the daemon stopping"));
        // the store is closed with the daemon; the same files show that no run was left RUNNING
        try (StateStore reopened = StateStore.open(TestSettings.settings(dir, emulators.env()), Clock.systemUTC())) {
            assertThat(reopened.runs().recent("hubspot-email-events", 10)).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(SyncRuns.Status.FAILED));
        }
    }

    @Test
    void aStopThatMustForceAPollWhoseCallIsStillInFlightSaysSoAtInfoAndLogsNoError() throws Exception {
        emulators = new Emulators(dir, Clock.systemUTC());
        // HubSpot answers the email events page long after the shutdown timeout
        java.util.concurrent.CountDownLatch inFlight = new java.util.concurrent.CountDownLatch(1);
        emulators.hubspot.faults().latency("hubspot.email.events", () -> {
            inFlight.countDown();
            return Duration.ofSeconds(25);
        });
        log.start();
        root.addAppender(log);
        emulators.startDaemon(emulators.env(), Map.of(
                "closedloop.flow.hubspot-email-events", "true",
                "closedloop.poll-interval-ms", "3600000",
                "camel.main.shutdown-timeout", "2"));
        assertThat(inFlight.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the poll's call reached HubSpot").isTrue();

        emulators.stopDaemon();

        assertThat(errors()).isEmpty();
        assertThat(messages())
                .anyMatch(m -> m.contains("Forcing the routes to be shutdown"))
                .anyMatch(m -> m.startsWith("a poll was cut by the daemon's forced stop; its cursor stays"));
    }

    private List<String> errors() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private java.util.stream.Stream<String> messages() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage);
    }
}
