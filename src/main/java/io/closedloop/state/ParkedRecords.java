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

    /** The code of a record that waits for its person to exist in the target; not a failure. */
    public static final String UNMATCHED = "UNMATCHED";

    public record ParkedRecord(long id, String flow, String recordKey, String payload, String reason,
                               ErrorKind errorKind, String errorCode, int attempts, Status status,
                               Instant firstSeen, Instant lastSeen, Instant nextAttempt) {
    }

    /** One record to park, as {@link #park} takes it. */
    public record Parking(String flow, String recordKey, String payload, String reason, ErrorKind kind, String code) {
    }

    /** The automatic retry tried a record and will try it again at {@code nextAttempt}; it was last seen at {@code lastSeen}. */
    public record Retry(long id, Instant nextAttempt, Instant lastSeen) {
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
    private static final String UPDATE = "UPDATE parked_record SET attempts = attempts + 1, payload = ?, reason = ?, "
            + "error_kind = ?, error_code = ?, status = ?, last_seen = ? WHERE flow = ? AND record_key = ?";
    private static final String INSERT = "INSERT INTO parked_record (payload, reason, error_kind, error_code, status, "
            + "first_seen, last_seen, next_attempt_at, flow, record_key, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";

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
        Object[] update = updateRow(new Parking(flow, recordKey, payload, reason, kind, code), clock.instant());
        for (int attempt = 0; attempt < 2; attempt++) {
            int updated = jdbc.update(UPDATE, update);
            if (updated == 0) {
                try {
                    jdbc.update(INSERT, insertRow(update));
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

    /** Parks many records in two batched statements (update the known, insert the new), as {@link #park} would one by one. */
    public void parkAll(List<Parking> records) {
        Instant now = clock.instant();
        List<Object[]> updates = records.stream().map(p -> updateRow(p, now)).toList();
        int[] counts = jdbc.batch(UPDATE, updates);
        List<Object[]> fresh = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                fresh.add(updates.get(i));
            }
        }
        try {
            jdbc.batch(INSERT, fresh.stream().map(ParkedRecords::insertRow).toList());
        } catch (StateStoreException e) {
            // the batch rolled back: a key parked twice in it, or concurrently elsewhere, is updated one by one instead
            fresh.forEach(u -> park((String) u[6], (String) u[7], (String) u[0], (String) u[1], (ErrorKind) u[2], (String) u[3]));
        }
    }

    private static Object[] updateRow(Parking p, Instant now) {
        String why = truncate(p.reason() == null ? "(no reason given)" : p.reason(), MAX_REASON);
        return new Object[] {p.payload(), why, p.kind(), p.code(), Status.PARKED, now, p.flow(), truncate(p.recordKey(), MAX_KEY)};
    }

    /** A new record is first and last seen now, and due at the next retry run. */
    private static Object[] insertRow(Object[] u) {
        return new Object[] {u[0], u[1], u[2], u[3], u[4], u[5], u[5], u[5], u[6], u[7]};
    }

    /**
     * Parked records of the given flows that the automatic retry takes (waiting for a match, or a retriable failure)
     * and that are due at {@code now}, after id {@code afterId}, by id: one page of the due set.
     */
    public List<ParkedRecord> due(java.util.Collection<String> flows, Instant now, long afterId, int limit) {
        List<Object> params = new ArrayList<>(List.of(Status.PARKED, UNMATCHED, ErrorKind.RETRIABLE, now, afterId));
        params.addAll(flows);
        return jdbc.query("SELECT * FROM parked_record WHERE status = ? AND (error_code = ? OR error_kind = ?) AND next_attempt_at <= ? "
                + "AND id > ? AND flow IN (" + String.join(", ", java.util.Collections.nCopies(flows.size(), "?"))
                + ") ORDER BY id LIMIT " + Math.max(1, limit), ParkedRecords::map, params.toArray());
    }

    /** Schedules the next automatic attempts in one batch; an automatic attempt does not count as seeing the record again. */
    public void scheduleRetries(List<Retry> retries) {
        jdbc.batch("UPDATE parked_record SET next_attempt_at = ?, last_seen = ? WHERE id = ?",
                retries.stream().map(r -> new Object[] {r.nextAttempt(), r.lastSeen(), r.id()}).toList());
    }

    /** Parked records waiting for their person to exist ({@code waiting}) or parked for any other reason. */
    public long countParked(boolean waiting) {
        return jdbc.queryOne("SELECT COUNT(*) FROM parked_record WHERE status = ? AND "
                + (waiting ? "error_code = ?" : "(error_code IS NULL OR error_code <> ?)"), rs -> rs.getLong(1), Status.PARKED, UNMATCHED)
                .orElse(0L);
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
        markResolved(List.of(id));
    }

    public void markResolved(List<Long> ids) {
        Instant now = clock.instant();
        jdbc.batch("UPDATE parked_record SET status = ?, last_seen = ? WHERE id = ?",
                ids.stream().map(id -> new Object[] {Status.RESOLVED, now, id}).toList());
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
                Jdbc.instant(rs, "first_seen"), Jdbc.instant(rs, "last_seen"), Jdbc.instant(rs, "next_attempt_at"));
    }
}
