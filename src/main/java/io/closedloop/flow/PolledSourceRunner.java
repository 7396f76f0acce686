package io.closedloop.flow;

import io.closedloop.core.EngagementBatch;
import io.closedloop.core.IdlePool;
import io.closedloop.core.FlowId;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;

/**
 * The frame around every polled source, the bean its route calls: a run per poll, the API calls it spent, the
 * cursor the reader starts from, and the batch that {@link SyncCheckpoint#commit} commits once the sink wrote it.
 * For a reader that {@link PolledSource#readsAhead() reads ahead}, the next chunk of a window is read on a thread of
 * its own while the sink writes this one: the read and the write overlap instead of taking turns. So is the next
 * window's first chunk when a poll runs past its interval (the source is behind, and the next poll starts as soon as
 * this one ends): at the poll's start plus the interval, if the window's last chunk is not written yet, the next window
 * is read then, while that chunk is written, instead of after it. A poll that ends within its interval leaves the next
 * poll to read at its own time, so nothing is read early and no event waits longer. A chunk read ahead is only a
 * fetch: its cursor moves when its own batch is committed, and one read for a cursor that is not the next to read (the
 * write before it failed) is dropped.
 */
public class PolledSourceRunner {
    private final StateStore store;
    private final Clock clock;
    private final PolledSource reader;
    private final LongSupplier calls;
    private final Duration pollInterval;
    /** What the sink can look up for a chunk read ahead before it writes it; nothing by default. */
    private volatile Consumer<SourceRead> prefetch = read -> { };
    private final AtomicReference<Ahead> ahead = new AtomicReference<>();
    private final ThreadPoolExecutor aheadThread;

    /** A chunk read ahead older than this is read again: what HubSpot indexed late since then is in the new read. */
    static final Duration AHEAD_FRESH = Duration.ofMinutes(1);

    private static final int WAITING = 0;
    private static final int READING = 1;
    private static final int DROPPED = 2;

    /**
     * The next chunk's read for {@code cursor}: {@code state} is {@link #WAITING} while a next window's read waits for its
     * time, {@link #READING} once it reads (or read), {@link #DROPPED} once a poll took the read over. A read not needed
     * (its chunk was written in time) stays WAITING and reads nothing.
     */
    private record Ahead(String cursor, AtomicInteger state, Future<Fetched> read) {
    }

    /** A chunk read ahead, its API calls counted by the thread that made them, and when its read started. */
    private record Fetched(SourceRead read, long calls, Instant startedAt) {
    }

    /** @param calls the reader's client's API call counter */
    public PolledSourceRunner(StateStore store, Clock clock, PolledSource reader, LongSupplier calls) {
        this(store, clock, reader, calls, Duration.ZERO);
    }

    /**
     * @param calls        the reader's client's API call counter
     * @param pollInterval the source's poll interval ({@code CLOSEDLOOP_POLL_INTERVAL}); a poll that runs past it has the
     *                     next window read while its last chunk is written. Zero: never.
     */
    public PolledSourceRunner(StateStore store, Clock clock, PolledSource reader, LongSupplier calls, Duration pollInterval) {
        this.store = store;
        this.clock = clock;
        this.reader = reader;
        this.calls = calls;
        this.pollInterval = pollInterval;
        // one thread reads the next chunk while this one is written; it ends when idle, so a stopped daemon keeps none
        this.aheadThread = IdlePool.of("closedloop-read-ahead-" + reader.source().key(), 1, 10);
    }

    public FlowId source() {
        return reader.source();
    }

    /**
     * Has {@code lookups} run on each chunk read ahead, on the read-ahead thread, once it is read: lookups only (people,
     * Accounts) that the sink then finds cached, so the chunk's write does not wait for them.
     */
    public PolledSourceRunner prefetching(Consumer<SourceRead> lookups) {
        this.prefetch = lookups;
        return this;
    }

    /** A read outside a poll (a test, a tool): no next window is read ahead. */
    public EngagementBatch read() {
        return read((Instant) null);
    }

    /**
     * The poll route's read. A poll its trigger fired (camel-quartz's {@code fireTime} header) may have the next window
     * read ahead; one sent to the route by hand (a test, a tool) does not, since no next poll is due after it.
     */
    public EngagementBatch poll(Exchange exchange) {
        Date fired = exchange.getIn().getHeader(FIRE_TIME, Date.class);
        return read(fired == null ? null : fired.toInstant());
    }

    /** The header camel-quartz sets on each exchange its trigger fires: when it fired. */
    static final String FIRE_TIME = "fireTime";

    /** @param pollStarted when the poll that reads began (wall clock), or null outside a poll */
    EngagementBatch read(Instant pollStarted) {
        // a read that fails before a batch exists still ends its run, as FAILED with the reason
        return store.runs().guard(reader.source().key(), runId -> read(runId, pollStarted));
    }

    /**
     * What the next poll would read, for {@code plan}: the same cursor and window, but no run is recorded, no cursor is
     * stored and the read's commit hook is not run.
     */
    public SourceRead preview() {
        Instant now = clock.instant();
        String stored = store.cursors().get(reader.source().key()).orElse("");
        return reader.read(reader.start(stored, now), now);
    }

    private EngagementBatch read(long runId, Instant pollStarted) {
        long callsBefore = calls.getAsLong();
        Instant now = clock.instant();
        String stored = store.cursors().get(reader.source().key()).orElse("");
        String cursor = reader.start(stored, now);
        if (!cursor.equals(stored)) {
            // kept at once, so a crash before the first commit does not slide the first window forward
            store.cursors().put(reader.source().key(), cursor);
        }
        Fetched early = readAhead(cursor);
        SourceRead read = early != null ? early.read() : reader.read(cursor, now);
        long spent = early != null ? early.calls() : calls.getAsLong() - callsBefore;
        // a chunk that would not move the cursor never asks for another: the drain cannot loop on the spot
        boolean more = read.more() && read.nextCursor() != null && !read.nextCursor().equals(cursor);
        Runnable onCommit = read.onCommit();
        if (more && reader.readsAhead()) {
            ahead.set(readAhead(read.nextCursor(), null, null));
        } else if (reader.readsAhead() && pollStarted != null && !pollInterval.isZero() && read.nextCursor() != null) {
            // the window's last chunk: if it is still being written when the next poll is due, that poll's first chunk
            // is read then, while it is written
            AtomicBoolean written = new AtomicBoolean();
            Runnable hook = onCommit;
            onCommit = () -> {
                hook.run();
                written.set(true);
            };
            ahead.set(readAhead(read.nextCursor(), pollStarted.plus(pollInterval), written));
        }
        return new EngagementBatch(reader.source().key(), read.events(), read.nextCursor(), read.countedOnly(), runId,
                spent, onCommit).profiles(read.profiles()).moreToRead(more);
    }

    /**
     * Reads {@code cursor} on the read-ahead thread: at once, or, with {@code due}, at that wall-clock time and only if
     * {@code written} is still false then and the poll did not take the read over.
     */
    private Ahead readAhead(String cursor, Instant due, AtomicBoolean written) {
        AtomicInteger state = new AtomicInteger(due == null ? READING : WAITING);
        return new Ahead(cursor, state, aheadThread.submit(() -> {
            if (due != null) {
                long wait = due.toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                if (written.get() || !state.compareAndSet(WAITING, READING)) {
                    // the chunk's poll ended (its next poll reads this window) or a poll took the read over
                    return null;
                }
            }
            Instant started = clock.instant();
            long before = calls.getAsLong();
            SourceRead r = reader.read(cursor, started);
            long spent = calls.getAsLong() - before;
            prefetch.accept(r);
            return new Fetched(r, spent, started);
        }));
    }

    /**
     * The chunk read ahead for {@code cursor}, waiting for it if it is still being read; null if none was, if it was
     * read for another cursor (the write before it failed, and the stored cursor is older), if its read had not started
     * yet (this poll reads it now), if it is older than {@link #AHEAD_FRESH} (the poll stopped between chunks), or if
     * its read failed (read again here, a failure takes the route's usual path).
     */
    private Fetched readAhead(String cursor) {
        Ahead a = ahead.getAndSet(null);
        if (a == null) {
            return null;
        }
        if (!a.cursor().equals(cursor) || a.state().compareAndSet(WAITING, DROPPED)) {
            a.read().cancel(true);
            return null;
        }
        try {
            Fetched f = a.read().get();
            return f == null || clock.instant().isAfter(f.startedAt().plus(AHEAD_FRESH)) ? null : f;
        } catch (CancellationException | ExecutionException failed) {
            return null;
        } catch (InterruptedException stopping) {
            // a stop: the read here meets the interrupt and takes the route's usual path
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
