package io.closedloop.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2 commits every DDL statement by itself, so a daemon killed while it creates a new state store leaves some tables
 * and no record of a finished migration, and the next start fails on a table that already exists. Nothing can have
 * been written to such a store yet (the daemon writes only once the migration finished), so it is emptied and
 * migrated again from the start.
 */
final class H2FirstMigration {
    private static final Logger LOG = LoggerFactory.getLogger(H2FirstMigration.class);

    private H2FirstMigration() {
    }

    static void undoInterrupted(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            if (tables(st) == 0 || finishedMigrations(st) > 0) {
                return;
            }
            LOG.warn("the state store's first migration was interrupted (no finished migration, {} tables); starting it again",
                    tables(st));
            st.execute("DROP ALL OBJECTS");
        } catch (SQLException e) {
            throw StateStoreException.of("SELECT migration history", e);
        }
    }

    private static int tables(Statement st) throws SQLException {
        return count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'");
    }

    private static int finishedMigrations(Statement st) throws SQLException {
        if (count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                + " AND TABLE_NAME = 'flyway_schema_history'") == 0) {
            return 0;
        }
        return count(st, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE");
    }

    private static int count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
