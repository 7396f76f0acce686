package io.closedloop.state;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who writes the state store when, and how often a transient failure is tried again. H2 takes one writer at a time:
 * its row locks deadlock and time out under concurrent multi-row transactions, and its MERGE is not atomic against a
 * concurrent insert of the same key. PostgreSQL writes concurrently; its upserts are atomic on their own.
 */
final class StateStoreWriters {
    interface Call<T> {
        T call() throws SQLException;
    }

    static final int ATTEMPTS = 4;
    private static final long BACKOFF_MS = 20;

    /** Null on PostgreSQL. */
    private final ReentrantLock h2Writer;

    private StateStoreWriters(ReentrantLock h2Writer) {
        this.h2Writer = h2Writer;
    }

    static StateStoreWriters of(Dialect dialect) {
        return new StateStoreWriters(dialect == Dialect.H2 ? new ReentrantLock(true) : null);
    }

    /** Runs a write alone on H2, concurrently on PostgreSQL; retried after a transient failure. */
    <T> T exclusive(String sql, Call<T> call) {
        return retrying(sql, () -> {
            if (h2Writer == null) {
                return call.call();
            }
            h2Writer.lock();
            try {
                return call.call();
            } finally {
                h2Writer.unlock();
            }
        });
    }

    /**
     * As {@link #exclusive}, except that on H2, while another writer holds the store, it returns false at once without
     * running the call: for writes that can wait for the next chance (a call count) rather than block their caller.
     */
    boolean exclusiveIfFree(String sql, Call<?> call) {
        if (h2Writer == null) {
            retrying(sql, call);
            return true;
        }
        // tryLock never waits: it takes the lock if it is free at this moment, fair or not
        if (!h2Writer.tryLock()) {
            return false;
        }
        try {
            retrying(sql, call);
            return true;
        } finally {
            h2Writer.unlock();
        }
    }

    /**
     * Makes what {@code c} just committed durable before the write returns. H2 keeps commits in memory and writes them
     * to its file from a background thread within its write delay (500 ms); a daemon killed meanwhile would lose them.
     * {@code CHECKPOINT} writes them at once. (The URL setting {@code WRITE_DELAY=0} would as well, but it also stops
     * that thread, and with it all of H2's compaction: the file then grows by every page each commit rewrites and is
     * never given back, 2 MB a second under a steady load of small commits.) PostgreSQL commits durably by itself.
     */
    void durable(java.sql.Connection c) throws SQLException {
        if (h2Writer == null) {
            return;
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** Runs the call; a deadlock, lock timeout or lost connection is tried again a few times before it is thrown. */
    <T> T retrying(String sql, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            StateStoreException failure;
            try {
                return call.call();
            } catch (SQLException e) {
                failure = StateStoreException.of(sql, e);
            } catch (StateStoreException e) {
                failure = e;
            }
            if (!failure.isTransient() || attempt == ATTEMPTS) {
                throw failure;
            }
            try {
                Thread.sleep(BACKOFF_MS * attempt * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }
}
