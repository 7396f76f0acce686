package io.closedloop.flow.backfill;

import io.closedloop.core.EngagementEvent;
import io.closedloop.core.FlowId;
import io.closedloop.core.PausedSyncException;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import io.closedloop.core.WriteOutcome;
import io.closedloop.state.CursorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The history a team asks for, through the live flow's own readers and sinks: engagement window by window (each
 * window read, written, then its cursor stored), then feedback, then the summary fields once. Its progress is a set of
 * cursors of its own ({@code backfill:*}), so a killed backfill continues where it stopped and, as every write is
 * checked against the ledger and the sent fingerprints, writes nothing twice.
 */
public final class Backfill {
    /** Where the range of the backfill under way is kept, with the arguments that chose it. */
    static final String RANGE = "backfill:range";
    /** The email reader leaves the last seconds before {@code now} to the next read: the window's end is read this much later. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    /** A backfill's range, fixed when it first starts; {@code args} tells a resumed run from a new one. */
    public record Range(String args, Instant since, Instant until, Duration window) {
        long windows() {
            long span = Math.max(0, until.toEpochMilli() - since.toEpochMilli());
            return Math.max(1, (span + window.toMillis() - 1) / window.toMillis());
        }

        String serialize() {
            return since.toEpochMilli() + "|" + until.toEpochMilli() + "|" + window.toMillis() + "|" + args;
        }

        static Range parse(String value) {
            if (value == null || value.isEmpty()) {
                return null;
            }
            String[] p = value.split("\\|", 4);
            return new Range(p[3], Instant.ofEpochMilli(Long.parseLong(p[0])), Instant.ofEpochMilli(Long.parseLong(p[1])),
                    Duration.ofMillis(Long.parseLong(p[2])));
        }
    }

    /** What the backfill tells its progress display. */
    public interface Listener {
        void window(FlowId source, Instant windowEnd, BackfillTotals totals);

        void paused(String api, Instant until, String reason);

        void phase(String what);
    }

    /** Waits out a pause (tests pass one that does not sleep). */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Writes one window's events; the flow key names the parked records. */
    public interface EngagementSink {
        WriteOutcome write(String flow, List<EngagementEvent> events);

        /** The window ending at {@code end} is read through (every chunk of it went to {@link #write}). */
        default void windowDone(String flow, Instant end) {
        }
    }

    private final CursorStore cursors;
    private final Clock clock;
    private final Listener listener;
    private final Sleeper sleeper;
    private final BackfillTotals totals;

    public Backfill(CursorStore cursors, Clock clock, Listener listener, Sleeper sleeper, BackfillTotals totals) {
        this.cursors = cursors;
        this.clock = clock;
        this.listener = listener;
        this.sleeper = sleeper;
        this.totals = totals;
    }

    /** The stored range if these arguments started it and it did not finish; else {@code fresh}, with every backfill cursor reset. */
    public Range begin(Range fresh, List<FlowId> sources) {
        Range stored = Range.parse(cursors.get(RANGE).orElse(""));
        if (stored != null && stored.args().equals(fresh.args())) {
            return stored;
        }
        sources.forEach(s -> cursors.put(key(s), ""));
        cursors.put(RANGE, fresh.serialize());
        return fresh;
    }

    /** Marks the range done: the next run with the same arguments starts over (and finds everything written). */
    public void finish(List<FlowId> sources) {
        sources.forEach(s -> cursors.put(key(s), ""));
        cursors.put(RANGE, "");
    }

    public static String key(FlowId source) {
        return "backfill:" + source.key();
    }

    /**
     * Reads a time-windowed source window by window from {@code since} to {@code until}; each window's events in the
     * range are written, then the window's end and the reader's cursor are stored together.
     * @param commit           whether the backfill's cursor and the reader's state are stored (not for a dry run or a plan,
     *                         whose sink writes nothing)
     * @param applyReaderState whether the reader's own state is saved with the cursor (not for list memberships,
     *                         whose stored members belong to the live source)
     */
    public void engagement(PolledSource reader, Range range, EngagementSink sink, boolean commit, boolean applyReaderState) {
        String key = key(reader.source());
        String stored = cursors.get(key).orElse("");
        int bar = stored.indexOf('|');
        Instant done = bar < 0 ? range.since() : Instant.ofEpochMilli(Long.parseLong(stored.substring(0, bar)));
        String cursor = bar < 0 ? reader.start("", range.since()) : stored.substring(bar + 1);
        while (done.isBefore(range.until())) {
            Instant end = done.plus(range.window()).isBefore(range.until()) ? done.plus(range.window()) : range.until();
            Instant readAt = end.plus(SETTLE).isAfter(clock.instant()) ? clock.instant() : end.plus(SETTLE);
            SourceRead read;
            do {
                String from = cursor;
                read = pausing(() -> reader.read(from, readAt));
                List<EngagementEvent> events = read.events().stream()
                        .filter(e -> !e.occurredAt().isBefore(range.since()) && e.occurredAt().isBefore(range.until())).toList();
                totals.read(events.size());
                WriteOutcome outcome = pausing(() -> sink.write(reader.source().key(), events));
                totals.add(outcome);
                if (commit && applyReaderState) {
                    read.onCommit().run();
                }
                cursor = read.nextCursor() == null ? cursor : read.nextCursor();
                if (commit) {
                    // the chunk is written (or parked): only now does the backfill's cursor move past it; the window's
                    // end only once its last chunk is
                    cursors.put(key, (read.more() ? done : end).toEpochMilli() + "|" + cursor);
                }
            } while (read.more());
            done = end;
            sink.windowDone(reader.source().key(), end);
            totals.windowDone();
            listener.window(reader.source(), done, totals);
        }
    }

    /** Runs a step again after each pause of an API budget, clock or allocation: the backfill waits, it never fails on one. */
    public <T> T pausing(Supplier<T> step) {
        while (true) {
            try {
                return step.get();
            } catch (PausedSyncException e) {
                Instant until = e.until() == null ? clock.instant().plus(Duration.ofMinutes(1)) : e.until();
                listener.paused(e.api(), until, e.getMessage());
                totals.paused();
                Duration wait = Duration.between(clock.instant(), until);
                try {
                    sleeper.sleep(wait.isNegative() ? Duration.ZERO : wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
