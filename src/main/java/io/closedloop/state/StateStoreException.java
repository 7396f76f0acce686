package io.closedloop.state;

import io.closedloop.core.RetriableSyncException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * A state store operation failed; the message names the statement's table, never parameter values. Retriable: the
 * batch that needed it is redelivered and, failing that, its run ends FAILED with the cursor where it was.
 */
public class StateStoreException extends RetriableSyncException {
    /** Deadlocks, serialization failures, lock timeouts, cancelled statements, on H2 and PostgreSQL. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "HYT00", "55P03", "57014", "57P01", "90131");

    private final boolean transientFailure;

    private StateStoreException(String sql, SQLException cause, boolean transientFailure) {
        super(cause.getSQLState(), "state store: " + firstWords(sql) + " failed: SQLState " + cause.getSQLState(), cause);
        this.transientFailure = transientFailure;
    }

    /** Classifies the failure by its SQLState: a lock conflict or a lost connection is worth another attempt. */
    static StateStoreException of(String sql, SQLException cause) {
        String state = cause.getSQLState();
        boolean transientFailure = cause instanceof SQLTransientException || (state != null
                && (TRANSIENT.contains(state) || state.startsWith("08")));
        return new StateStoreException(sql, cause, transientFailure);
    }

    /** Whether the same statement may succeed if tried again shortly. */
    public boolean isTransient() {
        return transientFailure;
    }

    private static String firstWords(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine;
    }
}
