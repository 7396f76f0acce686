package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StateStoreTest extends StateStoreContract {
    private static final String[] LEDGER = {"event_id", "flow", "target_type", "target_id", "subject_id", "account_id",
            "activity_type", "asset_name", "occurred_at", "written_at"};
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 123_456_000, ZoneOffset.UTC);

    @TempDir
    java.nio.file.Path dir;

    private StateStore store;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @BeforeEach
    void open() {
        store = StateStore.open(url(), "sa", "", clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected StateStore store() {
        return store;
    }

    /**
     * The first, partial day of an Account's roll-up window is read from the ledger through indexes (V17 dropped the
     * ledger's Account index): the Account's people by account_person's primary key, their activities and those without
     * a person by the subject index. H2's plan names the index it reads, or {@code tableScan}.
     */
    @Test
    void theFirstDayOfAnAccountsWindowIsReadThroughIndexesNotAScanOfTheLedger() throws Exception {
        Instant t0 = Instant.parse("2026-06-01T12:00:00Z");
        List<EventLedger.Activity> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(new EventLedger.Activity("p-" + i, "f", "a" + i, i % 10 == 0 ? null : "00Q" + (i % 300), "001" + (i % 40),
                    "Email Open", "x", t0.minus(Duration.ofMinutes(i * 20L))));
        }
        store.ledger().recordActivities("Marketing_Activity__c", rows);
        Instant since = t0.minus(Duration.ofDays(20));
        Timestamp from = Timestamp.from(since);
        Timestamp to = Timestamp.from(Instant.ofEpochSecond((EventLedger.day(since) + 1) * 86_400L));

        String people = plan(EventLedger.firstDayOfPeople(2), "0011", "0012", from, from, to);
        String alone = plan(EventLedger.firstDayWithoutPerson(2), "0011", "0012", from, to);

        assertThat(people).containsPattern("\"ACCOUNT_PERSON\" \"P\"\\s+/\\* PUBLIC\\.PRIMARY_KEY_\\w+: ACCOUNT_ID IN\\(")
                .contains("PUBLIC.EVENT_LEDGER_SUBJECT: SUBJECT_ID = P.SUBJECT_ID").doesNotContain("tableScan");
        assertThat(alone).containsPattern("/\\* PUBLIC\\.EVENT_LEDGER_SUBJECT:[^*]*SUBJECT_ID IS NULL").doesNotContain("tableScan");
    }

    private String plan(String sql, Object... params) throws Exception {
        try (var c = store.dataSource().getConnection(); var ps = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Override
    protected StateStore reopen() {
        return StateStore.open(url(), "sa", "", clock);
    }

    /*
     * H2 prepares a statement again when the database's metadata changed since it was prepared, and a connection opening
     * with settings in its URL changes it (the pool opens such connections at start and whenever it renews one). A
     * MERGE … USING (VALUES (?, …)) prepared again while a batch row holding NULLs is bound types those columns NULL, and
     * the batch's later rows then lose their values there (SqlStatements). These tests open that connection between the
     * batch and its execution.
     */
    @Test
    void aBatchKeepsEveryValueWhenH2PreparesTheMergeAgainAfterARowWithNulls() throws Exception {
        String sql = SqlStatements.of(store.dataSource(), Dialect.H2).insertIgnore("event_ledger", List.of("event_id"), LEDGER).sql();

        runBatchAcrossAConnectionOpening(sql);

        try (Connection c = store.dataSource().getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT event_id, subject_id, account_id, asset_name, occurred_at FROM event_ledger ORDER BY event_id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getObject(5, OffsetDateTime.class));
            }
            assertThat(rows).containsExactly("e-0 null null null null", "e-1 00Q1 0011 Pricing " + AT, "e-2 00Q2 0012 Pricing " + AT);
        }
    }

    /** The statement without the casts, in the same case: what H2 does that the casts guard against. */
    @Test
    void withoutTheCastsH2WritesNullForTheLaterRows() throws Exception {
        String cols = String.join(", ", LEDGER);
        String uncast = "MERGE INTO event_ledger t USING (VALUES (" + "?, ".repeat(LEDGER.length - 1) + "?)) s (" + cols
                + ") ON t.event_id = s.event_id WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (s."
                + String.join(", s.", LEDGER) + ")";

        runBatchAcrossAConnectionOpening(uncast);

        try (Connection c = store.dataSource().getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT COUNT(*) FROM event_ledger WHERE subject_id IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void aColumnTheStoreDoesNotHaveFailsWhenTheStatementsAreBuiltNotAtAWrite() {
        SqlStatements statements = SqlStatements.of(store.dataSource(), Dialect.H2);
        SqlStatements.Write write = statements.insertIgnore("event_ledger", List.of("event_id"), "event_id", "nope");
        // a store builds its statements once migrated (StateStoreOpeningTest), so this refuses the start
        assertThatThrownBy(statements::buildAll).hasMessageContaining("event_ledger.nope");
        assertThatThrownBy(write::sql).hasMessageContaining("event_ledger.nope");
    }

    @Test
    void declaredTypesAreSpelledForACast() {
        assertThat(SqlStatements.h2Type("CHARACTER VARYING", 18L, null, null, null)).isEqualTo("CHARACTER VARYING(18)");
        assertThat(SqlStatements.h2Type("TIMESTAMP WITH TIME ZONE", null, null, null, 6)).isEqualTo("TIMESTAMP(6) WITH TIME ZONE");
        assertThat(SqlStatements.h2Type("NUMERIC", null, 18, 2, null)).isEqualTo("NUMERIC(18, 2)");
        assertThat(SqlStatements.h2Type("BIGINT", null, 64, 0, null)).isEqualTo("BIGINT");
    }

    /** A batch whose first row has NULLs, executed after another connection to the store opened. */
    private void runBatchAcrossAConnectionOpening(String sql) throws Exception {
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, "e-0", null, null, null, null);
            bind(ps, "e-1", "00Q1", "0011", "Pricing", AT);
            bind(ps, "e-2", "00Q2", "0012", "Pricing", AT);
            // a setting in the URL: opening such a connection changes the database's metadata
            try (Connection opening = DriverManager.getConnection(url() + ";WRITE_DELAY=500", "sa", "")) {
                ps.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, String id, String subject, String account, String asset, OffsetDateTime at)
            throws Exception {
        Object[] row = {id, "f", "Marketing_Activity__c", "a" + id, subject, account, "Email Open", asset, at, AT};
        for (int i = 0; i < row.length; i++) {
            ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
    }
}
