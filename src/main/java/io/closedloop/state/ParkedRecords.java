package io.closedloop.state;

import io.closedloop.core.ErrorKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records that could not be written, kept with their reason until they are replayed or expire. */
public final class ParkedRecords {
    public enum Status { PARKED, RESOLVED }

    public record ParkedRecord(long id, String flow, String recordKey, String payload, String reason,
                               ErrorKind errorKind, String errorCode, int attempts, Status status,
                               Instant firstSeen, Instant lastSeen) {
    }

    /** Selects parked records; every field is optional (null means any). */
    public record Filter(String flow, String errorCode, String reasonContains, Instant seenFrom, Instant seenTo,
                         Status status) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null);
        }

        public static Filter parkedIn(String flow) {
            return new Filter(flow, null, null, null, null, Status.PARKED);
        }
    }

    /** One line of the summary: how many records are parked in a flow for a reason. */
    public record Count(String flow, ErrorKind errorKind, String errorCode, long count) {
    }

    static final int MAX_REASON = 2000;
    static final int MAX_KEY = 200;

    private final Jdbc jdbc;
    private final Clock clock;

    ParkedRecords(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Parks a record, or updates it if the same flow already parked the same key: attempts go up by one,
     * the reason and payload are replaced and it is PARKED again.
     */
    public ParkedRecord park(String flow, String recordKey, String payload, String reason, ErrorKind kind, String code) {
        String key = truncate(recordKey, MAX_KEY);
        String why = truncate(reason == null ? "(no reason given)" : reason, MAX_REASON);
        Instant now = clock.instant();
        for (int attempt = 0; attempt < 2; attempt++) {
            int updated = jdbc.update("UPDATE parked_record SET attempts = attempts + 1, payload = ?, reason = ?, "
                    + "error_kind = ?, error_code = ?, status = ?, last_seen = ? WHERE flow = ? AND record_key = ?",
                    payload, why, kind, code, Status.PARKED, now, flow, key);
            if (updated == 0) {
                try {
                    jdbc.update("INSERT INTO parked_record (flow, record_key, payload, reason, error_kind, error_code, "
                            + "attempts, status, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                            flow, key, payload, why, kind, code, Status.PARKED, now, now);
                } catch (StateStoreException e) {
                    if (Jdbc.isUniqueViolation(e)) {
                        continue; // parked concurrently by another thread: update that row instead
                    }
                    throw e;
                }
            }
            break;
        }
        return find(flow, key).orElseThrow();
    }

    public Optional<ParkedRecord> find(String flow, String recordKey) {
        return jdbc.queryOne("SELECT * FROM parked_record WHERE flow = ? AND record_key = ?", ParkedRecords::map,
                flow, recordKey);
    }

    public Optional<ParkedRecord> byId(long id) {
        return jdbc.queryOne("SELECT * FROM parked_record WHERE id = ?", ParkedRecords::map, id);
    }

    public List<ParkedRecord> list(Filter filter, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT * FROM parked_record WHERE " + where(filter, params) + " ORDER BY id LIMIT " + Math.max(1, limit);
        return jdbc.query(sql, ParkedRecords::map, params.toArray());
    }

    /** The SQL condition of a filter, appending its parameters. */
    private static String where(Filter filter, List<Object> params) {
        StringBuilder sql = new StringBuilder("1 = 1");
        if (filter.flow() != null) {
            sql.append(" AND flow = ?");
            params.add(filter.flow());
        }
        if (filter.errorCode() != null) {
            sql.append(" AND error_code = ?");
            params.add(filter.errorCode());
        }
        if (filter.reasonContains() != null) {
            sql.append(" AND LOWER(reason) LIKE ?");
            params.add("%" + filter.reasonContains().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            sql.append(" ESCAPE '\\'");
        }
        if (filter.seenFrom() != null) {
            sql.append(" AND last_seen >= ?");
            params.add(filter.seenFrom());
        }
        if (filter.seenTo() != null) {
            sql.append(" AND last_seen < ?");
            params.add(filter.seenTo());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        return sql.toString();
    }

    /** Parked records grouped by flow and reason code, for the {@code parked} command and the status page. */
    public List<Count> summary() {
        return summary(new Filter(null, null, null, null, null, Status.PARKED));
    }

    /** The records a filter selects, grouped by flow, error kind and code, largest group of a flow first. */
    public List<Count> summary(Filter filter) {
        List<Object> params = new ArrayList<>();
        return jdbc.query("SELECT flow, error_kind, error_code, COUNT(*) AS n FROM parked_record WHERE " + where(filter, params)
                        + " GROUP BY flow, error_kind, error_code ORDER BY flow, n DESC, error_code",
                rs -> new Count(rs.getString("flow"), ErrorKind.valueOf(rs.getString("error_kind")),
                        rs.getString("error_code"), rs.getLong("n")), params.toArray());
    }

    public long countParked() {
        return jdbc.queryOne("SELECT COUNT(*) FROM parked_record WHERE status = ?", rs -> rs.getLong(1), Status.PARKED)
                .orElse(0L);
    }

    /** A replay wrote the record: it stays for the audit trail until retention removes it. */
    public void markResolved(long id) {
        jdbc.update("UPDATE parked_record SET status = ?, last_seen = ? WHERE id = ?", Status.RESOLVED, clock.instant(), id);
    }

    /** Retention: removes records a replay wrote; returns how many. */
    public int deleteResolved() {
        return jdbc.update("DELETE FROM parked_record WHERE status = ?", Status.RESOLVED);
    }

    /** Retention: removes records last seen before the cutoff, whatever their status; returns how many. */
    public int deleteLastSeenBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM parked_record WHERE last_seen < ?", cutoff);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static ParkedRecord map(ResultSet rs) throws SQLException {
        return new ParkedRecord(rs.getLong("id"), rs.getString("flow"), rs.getString("record_key"),
                rs.getString("payload"), rs.getString("reason"), ErrorKind.valueOf(rs.getString("error_kind")),
                rs.getString("error_code"), rs.getInt("attempts"), Status.valueOf(rs.getString("status")),
                Jdbc.instant(rs, "first_seen"), Jdbc.instant(rs, "last_seen"));
    }
}
