package io.closedloop.ops;

import io.closedloop.core.PausedSyncException;
import io.closedloop.log.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the state store answers, from a cheap probe with a short timeout. Readiness reports it, and every poll asks
 * it first: while the store is away the flows pause (one line when it goes, one when it comes back, no stack trace
 * per poll) and resume by themselves once it answers again. Nothing is read that could not be recorded.
 */
public class StateStoreAvailability {
    /** How long a probe may take before the store counts as away. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(StateStoreAvailability.class);

    /** The current answer: {@code problem} is empty while the store answers; {@code since} is when that last changed. */
    public record Status(Optional<String> problem, Instant since, Instant checkedAt) {
        public boolean up() {
            return problem.isEmpty();
        }
    }

    private final Function<Duration, Optional<String>> ping;
    private final Clock clock;
    private final Duration pauseFor;
    private Status status;

    /**
     * @param ping     the store's probe ({@code StateStore::ping})
     * @param pauseFor how long a paused flow shows as paused before its next poll asks again (the poll interval)
     */
    public StateStoreAvailability(Function<Duration, Optional<String>> ping, Clock clock, Duration pauseFor) {
        this.ping = ping;
        this.clock = clock;
        this.pauseFor = pauseFor;
        this.status = new Status(Optional.empty(), clock.instant(), Instant.EPOCH);
    }

    /** Probes the store (polls that ask at once share one probe) and logs a change once. */
    public Status check() {
        Optional<String> problem = ping.apply(PROBE_TIMEOUT).map(Redactor::redact);
        return record(problem, clock.instant());
    }

    private synchronized Status record(Optional<String> problem, Instant now) {
        if (problem.isPresent() && status.up()) {
            LOG.error("state store unavailable ({}); every flow pauses until it answers again", problem.get());
            status = new Status(problem, now, now);
        } else if (problem.isEmpty() && !status.up()) {
            LOG.info("state store available again after {} s; flows resume", Duration.between(status.since(), now).toSeconds());
            status = new Status(problem, now, now);
        } else {
            status = new Status(problem, status.since(), now);
        }
        return status;
    }

    /** The last answer, without probing (for the status page and metrics). */
    public synchronized Status last() {
        return status;
    }

    /** Route step before each poll: returns while the store answers, else pauses the flow until its next poll. */
    public void verify() {
        Status now = check();
        if (!now.up()) {
            throw new PausedSyncException("state-store", "STATE_STORE_UNAVAILABLE", "state store unavailable: " + now.problem().get(),
                    clock.instant().plus(pauseFor));
        }
    }
}
