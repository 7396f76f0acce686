package io.closedloop.flow;

import io.closedloop.core.EngagementBatch;
import io.closedloop.core.FlowId;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The frame around every polled source, the bean its route calls: a run per poll, the API calls it spent, the
 * cursor the reader starts from, and the batch that {@link SyncCheckpoint#commit} commits once the sink wrote it.
 */
public class PolledSourceRunner {
    private final StateStore store;
    private final Clock clock;
    private final PolledSource reader;
    private final LongSupplier calls;

    /** @param calls the reader's client's API call counter */
    public PolledSourceRunner(StateStore store, Clock clock, PolledSource reader, LongSupplier calls) {
        this.store = store;
        this.clock = clock;
        this.reader = reader;
        this.calls = calls;
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
        SourceRead read = reader.read(cursor, now);
        // a chunk that would not move the cursor never asks for another: the drain cannot loop on the spot
        return new EngagementBatch(reader.source().key(), read.events(), read.nextCursor(), read.countedOnly(), runId,
                calls.getAsLong() - callsBefore, read.onCommit()).profiles(read.profiles())
                .moreToRead(read.more() && read.nextCursor() != null && !read.nextCursor().equals(cursor));
    }
}
