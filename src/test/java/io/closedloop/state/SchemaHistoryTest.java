package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.testsupport.EmbeddedPostgresSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up fast path past Flyway: it skips Flyway only for a store whose history is exactly this build's
 * migrations with Flyway's own checksums, on H2 and on a real PostgreSQL; every other history goes through Flyway.
 */
class SchemaHistoryTest {
    @TempDir
    Path dir;

    @Test
    void theShippedListNamesEveryMigrationFileInVersionOrder() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", SchemaHistory.LOCATION))) {
            List<String> onDisk = files.map(f -> f.getFileName().toString())
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))).toList();
            assertThat(SchemaHistory.SHIPPED).containsExactlyElementsOf(onDisk);
        }
    }

    @Test
    void onH2TheChecksumsAreTheOnesFlywayRecordedAndAMigratedStoreIsCurrent() {
        DataSource h2 = h2("checksums");
        StateStore.migrate(h2, Dialect.H2);
        assertFlywayRecordedOurChecksums(h2);
        assertThat(SchemaHistory.current(h2)).isTrue();
    }

    @Test
    void onPostgresTheChecksumsAreTheOnesFlywayRecordedAndAMigratedStoreIsCurrent() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgresSupport.start()) {
            DataSource pg = postgres.getPostgresDatabase();
            assertThat(SchemaHistory.current(pg)).as("a database without a history").isFalse();
            StateStore.migrate(pg, Dialect.POSTGRES);
            assertFlywayRecordedOurChecksums(pg);
            assertThat(SchemaHistory.current(pg)).isTrue();
        }
    }

    @Test
    void aNewStoreIsNotCurrentAndFlywayCreatesIt() {
        DataSource h2 = h2("new");
        assertThat(SchemaHistory.current(h2)).isFalse();
        StateStore.migrate(h2, Dialect.H2);
        assertThat(applied(h2)).hasSize(SchemaHistory.SHIPPED.size());
    }

    @Test
    void aPendingMigrationIsNotCurrentAndFlywayAppliesIt() throws Exception {
        DataSource h2 = h2("pending");
        StateStore.migrate(h2, Dialect.H2);
        String last = SchemaHistory.SHIPPED.get(SchemaHistory.SHIPPED.size() - 1);
        execute(h2, "DELETE FROM \"flyway_schema_history\" WHERE \"script\" = '" + last + "'");
        execute(h2, "CREATE INDEX event_ledger_account ON event_ledger (account_id, occurred_at)");
        execute(h2, "CREATE INDEX account_person_last ON account_person (account_id, last_at)");
        assertThat(SchemaHistory.current(h2)).isFalse();

        StateStore.migrate(h2, Dialect.H2);

        assertThat(applied(h2)).containsKey(last);
        assertThat(SchemaHistory.current(h2)).isTrue();
        try (var c = h2.getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME IN ('EVENT_LEDGER_ACCOUNT', 'ACCOUNT_PERSON_LAST')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("V17 dropped the indexes again").isZero();
        }
    }

    @Test
    void aChangedChecksumIsNotCurrentAndFlywayRefusesTheStoreAsBefore() throws Exception {
        DataSource h2 = migratedThen("changed", "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"script\" = 'V3__list_membership.sql'");

        assertThat(SchemaHistory.current(h2)).isFalse();
        assertThatThrownBy(() -> StateStore.migrate(h2, Dialect.H2)).isInstanceOf(FlywayException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void aFailedOrUnknownMigrationInTheHistoryIsNotCurrent() throws Exception {
        DataSource failed = migratedThen("failed", "UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"script\" = 'V14__lead_status_snapshot.sql'");
        assertThat(SchemaHistory.current(failed)).isFalse();

        DataSource newer = migratedThen("newer", "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
                + " \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99', 'from a newer build', 'SQL',"
                + " 'V99__from_a_newer_build.sql', 1, 'sa', 1, TRUE)");
        assertThat(SchemaHistory.current(newer)).isFalse();
    }

    private static void assertFlywayRecordedOurChecksums(DataSource dataSource) {
        Map<String, Integer> recorded = applied(dataSource);
        assertThat(recorded.keySet()).containsExactlyInAnyOrderElementsOf(SchemaHistory.SHIPPED);
        for (String script : SchemaHistory.SHIPPED) {
            assertThat(SchemaHistory.checksum(script)).as(script).isEqualTo(recorded.get(script)).isNotZero();
        }
    }

    private static Map<String, Integer> applied(DataSource dataSource) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"script\", \"checksum\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'"
                     + " ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** A store migrated by Flyway, then its history changed by {@code sql}. */
    private DataSource migratedThen(String name, String sql) throws Exception {
        DataSource h2 = h2(name);
        StateStore.migrate(h2, Dialect.H2);
        execute(h2, sql);
        return h2;
    }

    private DataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name));
        ds.setUser("sa");
        return ds;
    }

    private static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
