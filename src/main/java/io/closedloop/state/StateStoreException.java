package io.closedloop.state;

import java.sql.SQLException;

/** A state store operation failed; the message names the statement's table, never parameter values. */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String sql, SQLException cause) {
        super("state store: " + firstWords(sql) + " failed: SQLState " + cause.getSQLState(), cause);
    }

    private static String firstWords(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine;
    }
}
