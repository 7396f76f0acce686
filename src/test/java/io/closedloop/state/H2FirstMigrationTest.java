package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon killed while it creates a new H2 state store (DDL commits one statement at a time) starts next time. */
class H2FirstMigrationTest {
    @TempDir
    Path dir;

    @Test
    void aFirstMigrationKilledHalfwayIsStartedAgainAndTheStoreWorks() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("state");
        // what V1 leaves when the process dies after its first statements: the history table, no finished migration
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT NOT NULL PRIMARY KEY, \"success\" BOOLEAN NOT NULL)");
            st.execute("CREATE TABLE source_cursor (source VARCHAR(100) NOT NULL PRIMARY KEY, cursor_value VARCHAR(4000) NOT NULL,"
                    + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }

        try (StateStore store = StateStore.open(url, "sa", "", new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))) {
            store.cursors().put("hubspot-email-events", "w");
            assertThat(store.cursors().get("hubspot-email-events")).contains("w");
        }
    }

    @Test
    void aStoreWithFinishedMigrationsIsLeftAsItIs() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("state");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (StateStore store = StateStore.open(url, "sa", "", clock)) {
            store.cursors().put("hubspot-email-events", "kept");
        }
        try (StateStore store = StateStore.open(url, "sa", "", clock)) {
            assertThat(store.cursors().get("hubspot-email-events")).contains("kept");
        }
    }
}
