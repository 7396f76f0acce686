package io.closedloop.state;

import io.closedloop.config.SettingKey;
import java.sql.SQLException;

/** The state store could not be opened at all; the message names the setting to fix and never holds its value. */
public class StateStoreUnavailableException extends RuntimeException {
    StateStoreUnavailableException(SQLException cause) {
        super(message(cause), cause);
    }

    private static String message(SQLException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("").strip();
        // SQLState class 28: invalid authorization (SQL standard), as PostgreSQL and H2 report a wrong user or password
        if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
            return SettingKey.CLOSEDLOOP_DB_USER.env() + "/" + SettingKey.CLOSEDLOOP_DB_PASSWORD.env()
                    + ": the state store refused the login (" + why + ")";
        }
        return SettingKey.CLOSEDLOOP_DB_URL.env() + ": cannot open the state store (" + why + ")";
    }
}
