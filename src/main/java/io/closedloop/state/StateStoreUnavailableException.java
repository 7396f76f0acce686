package io.closedloop.state;

import io.closedloop.config.SettingKey;
import java.sql.SQLException;

/** The state store could not be opened at all; the message names the setting to fix and never holds its value. */
public class StateStoreUnavailableException extends RuntimeException {
    StateStoreUnavailableException(SQLException cause) {
        super(message(cause), cause);
    }

    /** H2's DATABASE_ALREADY_OPEN_1: another process holds the file lock of an embedded database. */
    static final int H2_ALREADY_OPEN = 90020;

    private static String message(SQLException e) {
        if (e.getErrorCode() == H2_ALREADY_OPEN) {
            // H2 in a file serves one process: replicas need a database they can share
            return SettingKey.CLOSEDLOOP_DB_URL.env() + ": another process (a second daemon?) already has this H2 state store open;"
                    + " H2 serves one daemon only: stop the other one, or point every replica at one PostgreSQL database"
                    + " (jdbc:postgresql://...) to run several (README, Running replicas)";
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("").strip();
        // SQLState class 28: invalid authorization (SQL standard), as PostgreSQL and H2 report a wrong user or password
        if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
            return SettingKey.CLOSEDLOOP_DB_USER.env() + "/" + SettingKey.CLOSEDLOOP_DB_PASSWORD.env()
                    + ": the state store refused the login (" + why + ")";
        }
        return SettingKey.CLOSEDLOOP_DB_URL.env() + ": cannot open the state store (" + why + ")";
    }
}
