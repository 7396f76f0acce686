package io.closedloop.flow.feedback;

import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.state.CursorStore;
import io.closedloop.state.TimeWindowCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * True until Flow 2 has read the dispositions once since CLOSEDLOOP_START_FROM. Flow 1 holds its Lead summary writes
 * meanwhile: each write moves the Lead's SystemModstamp, the only time Salesforce gives for a disposition, so a catch-up
 * that wrote summaries first would date twelve-day-old rejections today. Never holds when the dispositions source does
 * not run, and at most {@link #MAX_HOLD}, so a Flow 2 that cannot start never keeps Flow 1's summaries from a rep.
 */
public final class FirstDispositionRead implements BooleanSupplier {
    public static final Duration MAX_HOLD = Duration.ofMinutes(10);

    private final CursorStore cursors;
    private final Clock clock;
    private final BooleanSupplier sourceRuns;
    private final Instant since;
    private volatile boolean done;

    /** @param sourceRuns whether the dispositions source runs in this process (its route started) */
    public FirstDispositionRead(CursorStore cursors, Clock clock, BooleanSupplier sourceRuns) {
        this.cursors = cursors;
        this.clock = clock;
        this.sourceRuns = sourceRuns;
        this.since = clock.instant();
    }

    /** Whether Lead summaries must still wait. */
    @Override
    public boolean getAsBoolean() {
        if (done || !sourceRuns.getAsBoolean()) {
            return false;
        }
        // the reader stores its first cursor before reading (polls=0); a committed read counts one poll
        boolean read = cursors.get(SalesforceDispositionReader.SOURCE).filter(c -> !c.isEmpty())
                .map(c -> TimeWindowCursor.parse(c).polls() > 0).orElse(false);
        if (read || !clock.instant().isBefore(since.plus(MAX_HOLD))) {
            done = true;
            return false;
        }
        return true;
    }
}
