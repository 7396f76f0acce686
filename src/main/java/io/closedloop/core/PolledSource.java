package io.closedloop.core;

import java.time.Instant;

/**
 * A polled source as its reader writes it: what to fetch from the stored cursor and how to map it. The runner
 * around it guards the run, counts the API calls, keeps the cursor and builds the batch; the checkpoint moves the
 * cursor once the batch was written.
 */
public interface PolledSource {
    /** Most events one read holds unless told otherwise ({@code CLOSEDLOOP_POLL_CHUNK}). */
    int CHUNK = 10_000;

    /** The flow this source feeds: its key names the cursor and the run, its route ids the routes. */
    FlowId source();

    /**
     * The cursor to keep before the read, given the stored one ("" on the first poll). A cursor that differs is
     * stored at once, so a first window's start stays put even if the daemon dies before its first commit.
     */
    default String start(String stored, Instant now) {
        return stored;
    }

    /** One poll from {@code cursor} (what {@link #start} returned) at {@code now}. */
    SourceRead read(String cursor, Instant now);

    /**
     * Whether the next chunk of a window ({@link SourceRead#more()}) depends on nothing but its cursor, so that the
     * runner may read it while the sink writes this one. A reader whose next read depends on what the commit of this
     * one stores (a snapshot it compares against) keeps the default.
     */
    default boolean readsAhead() {
        return false;
    }
}
