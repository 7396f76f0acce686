package io.closedloop.flow.feedback;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FlowId;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries again the dispositions whose email had no HubSpot contact, at most once per retry interval, through the same
 * writer as a fresh read. One still without a contact after the wait is parked as NOT_IN_HUBSPOT with its reason and
 * left to a replay.
 */
public class HubSpotAwaitingContactRetry {
    /** Result of one run: tried again, now sent, given up. */
    public record Outcome(int retried, int resolved, int gaveUp) {
    }

    /** Parked code of a disposition whose contact never reached HubSpot within the wait. */
    public static final String NOT_IN_HUBSPOT = "NOT_IN_HUBSPOT";
    static final int BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotAwaitingContactRetry.class);

    private final ParkedRecords parked;
    private final HubSpotDispositionReplay replay;
    private final Clock clock;
    private final Duration interval;
    private final Duration wait;

    public HubSpotAwaitingContactRetry(ParkedRecords parked, HubSpotDispositionReplay replay, Clock clock, Duration interval,
                                       Duration wait) {
        this.parked = parked;
        this.replay = replay;
        this.clock = clock;
        this.interval = interval;
        this.wait = wait;
    }

    /** Route step after the poll's commit. */
    public Outcome retry() {
        String flow = FlowId.SALESFORCE_DISPOSITIONS.key();
        Instant now = clock.instant();
        List<ParkedRecord> due = new ArrayList<>();
        int gaveUp = 0;
        // records tried within the interval are left alone, so a backlog costs one look-up per interval
        var filter = new ParkedRecords.Filter(flow, HubSpotDispositionWriter.AWAITING_CONTACT, null, null, now.minus(interval).plusMillis(1),
                ParkedRecords.Status.PARKED);
        for (ParkedRecord r : parked.list(filter, BATCH)) {
            if (r.firstSeen().plus(wait).isAfter(now)) {
                due.add(r);
            } else {
                parked.park(flow, r.recordKey(), r.payload(), "no HubSpot contact has this email after " + wait
                        + " of waiting; replay it once the contact exists", ErrorKind.SKIPPABLE, NOT_IN_HUBSPOT);
                gaveUp++;
            }
        }
        int resolved = 0;
        if (!due.isEmpty()) {
            Set<String> written = replay.replay(flow, due);
            for (ParkedRecord r : due) {
                if (written.contains(r.recordKey())) {
                    parked.markResolved(r.id());
                    resolved++;
                }
            }
        }
        if (!due.isEmpty() || gaveUp > 0) {
            LOG.info("{}: tried {} dispositions awaiting their HubSpot contact again, {} sent, {} parked as {}", flow, due.size(),
                    resolved, gaveUp, NOT_IN_HUBSPOT);
        }
        return new Outcome(due.size(), resolved, gaveUp);
    }
}
