package io.closedloop.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * The start-up fast path past Flyway: when the store's history holds exactly the migrations this build ships, each
 * applied successfully with the checksum Flyway computes for the shipped file, Flyway's migrate would validate them and
 * find nothing to do. Starting Flyway for that costs about half a second of a start (its classpath scan reads the whole
 * jar); this reads one table instead. Anything else (a new store, a pending or failed migration, a changed file, a
 * version this build does not know) goes through Flyway as before.
 */
final class SchemaHistory {
    static final String LOCATION = "db/migration";
    /** Every file under {@code db/migration}, in order; {@code SchemaHistoryTest} fails when one is added and not named here. */
    static final List<String> SHIPPED = List.of("V1__state_store.sql", "V2__activity_details.sql", "V3__list_membership.sql",
            "V4__dispositions.sql", "V5__sla_clock_start_status.sql", "V6__parked_next_attempt.sql", "V7__summary_pending_version.sql",
            "V8__replicas.sql", "V10__disposition_verdicts.sql", "V11__campaign_sync.sql", "V12__sales_qualified_moments.sql",
            "V13__reverse_sla_clock.sql", "V14__lead_status_snapshot.sql", "V15__account_activity_rollup.sql",
            "V16__drop_unused_ledger_index.sql", "V17__ledger_account_index_via_people.sql");

    private SchemaHistory() {
    }

    /** Whether the store is at exactly this build's schema; false whenever that cannot be told (Flyway then decides). */
    static boolean current(DataSource dataSource) {
        Map<String, Integer> applied = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"script\", \"checksum\", \"success\", \"type\" FROM \"flyway_schema_history\"")) {
            while (rs.next()) {
                String type = rs.getString(4);
                if ("SCHEMA".equals(type) || "TABLE".equals(type)) {
                    continue; // Flyway's markers that it created the schema or this table itself
                }
                int checksum = rs.getInt(2);
                if (!"SQL".equals(type) || !rs.getBoolean(3) || rs.wasNull() || applied.put(rs.getString(1), checksum) != null) {
                    return false;
                }
            }
        } catch (SQLException e) {
            return false; // no history yet, or one this probe cannot read
        }
        if (applied.size() != SHIPPED.size()) {
            return false;
        }
        for (String script : SHIPPED) {
            Integer checksum = applied.get(script);
            if (checksum == null || !checksum.equals(checksum(script))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Flyway's checksum of a SQL migration: CRC-32 over the UTF-8 bytes of each line without its line ending, a leading
     * byte-order mark dropped (flyway-core's ChecksumCalculator and LoadableResource.calculateChecksum), so it does not
     * change with line endings; null when the file cannot be read. {@code SchemaHistoryTest} compares it with what Flyway records.
     */
    static Integer checksum(String script) {
        String path = LOCATION + "/" + script;
        try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            CRC32 crc = new CRC32();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = reader.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return (int) crc.getValue();
        } catch (IOException e) {
            return null;
        }
    }
}
