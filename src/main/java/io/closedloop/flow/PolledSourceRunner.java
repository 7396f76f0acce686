package io.closedloop.flow;

import io.closedloop.core.EngagementBatch;
import io.closedloop.core.IdlePool;
import io.closedloop.core.FlowId;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The frame around every polled source, the bean its route calls: a run per poll, the API calls it spent, the
 * cursor the reader starts from, and the batch that {@link SyncCheckpoint#commit} commits once the sink wrote it.
 * For a reader that {@link PolledSource#readsAhead() reads ahead}, the next chunk of a window is read on a thread of
 * its own while the sink writes this one: the read and the write overlap instead of taking turns. A chunk read ahead
 * is only a fetch: its cursor moves when its own batch is committed, and one read for a cursor that is not the next
 * to read (the write before it failed) is dropped.
 */
public class PolledSourceRunner {
    private final StateStore store;
    private final Clock clock;
    private final PolledSource reader;
    private final LongSupplier calls;
    private final AtomicReference<Ahead> ahead = new AtomicReference<>();
    private final ThreadPoolExecutor aheadThread;

    /** A chunk read ahead older than this is read again: what HubSpot indexed late since then is in the new read. */
    static final java.time.Duration AHEAD_FRESH = java.time.Duration.ofMinutes(1);

    /** The next chunk's read, started for {@code cursor} at {@code at}; its API calls counted by the thread that made them. */
    private record Ahead(String cursor, Instant at, Future<Fetched> read) {
    }

    private record Fetched(SourceRead read, long calls) {
    }

    /** @param calls the reader's client's API call counter */
    public PolledSourceRunner(StateStore store, Clock clock, PolledSource reader, LongSupplier calls) {
        this.store = store;
        this.clock = clock;
        this.reader = reader;
        this.calls = calls;
        // one thread reads the next chunk while this one is written; it ends when idle, so a stopped daemon keeps none
        this.aheadThread = IdlePool.of("closedloop-read-ahead-" + reader.source().key(), 1, 10);
    }

    public FlowId source() {
        return reader.source();
    }

    public EngagementBatch read() {
        // a read that fails before a batch exists still ends its run, as FAILED with the reason
        return store.runs().guard(reader.source().key(), this::read);
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

    private EngagementBatch read(long runId) {
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
        if (more && reader.readsAhead()) {
            String next = read.nextCursor();
            ahead.set(new Ahead(next, clock.instant(), aheadThread.submit(() -> {
                long before = calls.getAsLong();
                SourceRead r = reader.read(next, clock.instant());
                return new Fetched(r, calls.getAsLong() - before);
            })));
        }
        return new EngagementBatch(reader.source().key(), read.events(), read.nextCursor(), read.countedOnly(), runId,
                spent, read.onCommit()).profiles(read.profiles()).moreToRead(more);
    }

    /**
     * The chunk read ahead for {@code cursor}, waiting for it if it is still being read; null if none was, if it was
     * read for another cursor (the write before it failed, and the stored cursor is older), if it is older than
     * {@link #AHEAD_FRESH} (the poll stopped between chunks), or if its read failed (read again here, a failure takes
     * the route's usual path).
     */
    private Fetched readAhead(String cursor) {
        Ahead a = ahead.getAndSet(null);
        if (a == null) {
            return null;
        }
        if (!a.cursor().equals(cursor) || clock.instant().isAfter(a.at().plus(AHEAD_FRESH))) {
            a.read().cancel(true);
            return null;
        }
        try {
            return a.read().get();
        } catch (ExecutionException failed) {
            return null;
        } catch (InterruptedException stopping) {
            // a stop: the read here meets the interrupt and takes the route's usual path
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
