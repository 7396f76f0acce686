package io.closedloop.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily clean-up of the parked store ({@code routes/state-retention.camel.yaml}): resolved records have served their
 * audit purpose once a day has passed over them, and anything not seen for {@code CLOSEDLOOP_PARKED_RETENTION} is
 * too old to replay (the unmatched retry's attempts do not count as seeing a record, so a backlog expires too). The
 * verdicts kept for the status page go after the same retention.
 */
public class StateRetention {
    /** What one run removed. */
    public record Outcome(int resolved, int expired, int verdicts) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(StateRetention.class);

    private final ParkedRecords parked;
    private final Dispositions dispositions;
    private final Clock clock;
    private final Duration retention;

    public StateRetention(ParkedRecords parked, Dispositions dispositions, Clock clock, Duration retention) {
        this.parked = parked;
        this.dispositions = dispositions;
        this.clock = clock;
        this.retention = retention;
    }

    public Outcome run() {
        int resolved = parked.deleteResolved();
        Instant cutoff = clock.instant().minus(retention);
        int expired = parked.deleteLastSeenBefore(cutoff);
        int verdicts = dispositions.forgetVerdictsBefore(cutoff);
        LOG.info("state retention: deleted {} resolved and {} parked records last seen before {}, and {} verdicts sent before it",
                resolved, expired, cutoff, verdicts);
        return new Outcome(resolved, expired, verdicts);
    }
}
