package io.closedloop.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** One row per run of a route: when, how it ended, what it moved and how many API calls it spent. */
public final class SyncRuns {
    public enum Status { RUNNING, SUCCEEDED, FAILED }

    public record Counts(int read, int written, int parked, int hubspotCalls, int salesforceCalls) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    public record SyncRun(long id, String routeId, Instant startedAt, Instant finishedAt, Status status,
                          Counts counts, String error) {
    }

    private final Jdbc jdbc;
    private final Clock clock;

    SyncRuns(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public long start(String routeId) {
        return jdbc.insertReturningId("INSERT INTO sync_run (route_id, started_at, status) VALUES (?, ?, ?)",
                routeId, clock.instant(), Status.RUNNING);
    }

    /** Starts a run and hands its id to {@code body}; a body that throws finishes the run as FAILED with the reason. */
    public <T> T guard(String routeId, java.util.function.LongFunction<T> body) {
        long runId = start(routeId);
        try {
            return body.apply(runId);
        } catch (RuntimeException e) {
            try {
                finish(runId, Status.FAILED, Counts.NONE, io.closedloop.log.Redactor.redact(String.valueOf(e.getMessage())));
            } catch (StateStoreException storeFailure) {
                e.addSuppressed(storeFailure);
            }
            throw e;
        }
    }

    public void finish(long runId, Status status, Counts counts, String error) {
        jdbc.update("UPDATE sync_run SET finished_at = ?, status = ?, records_read = ?, records_written = ?, "
                        + "records_parked = ?, hubspot_api_calls = ?, salesforce_api_calls = ?, error = ? WHERE id = ?",
                clock.instant(), status, counts.read(), counts.written(), counts.parked(), counts.hubspotCalls(),
                counts.salesforceCalls(), error == null ? null : error.substring(0, Math.min(error.length(), 2000)), runId);
    }

    /** Ends every run still RUNNING as FAILED: at startup, those are runs of a daemon that stopped mid-run. */
    public int endAbandoned(String reason) {
        return jdbc.update("UPDATE sync_run SET finished_at = ?, status = ?, error = ? WHERE status = ?",
                clock.instant(), Status.FAILED, reason, Status.RUNNING);
    }

    public List<SyncRun> recent(String routeId, int limit) {
        return jdbc.query("SELECT * FROM sync_run WHERE route_id = ? ORDER BY id DESC LIMIT " + Math.max(1, limit),
                SyncRuns::map, routeId);
    }

    /** The latest runs of every route, newest first. */
    public List<SyncRun> recent(int limit) {
        return jdbc.query("SELECT * FROM sync_run ORDER BY id DESC LIMIT " + Math.max(1, limit), SyncRuns::map);
    }

    /** Sums over every run of every route: what the daemon has moved since the store was created. */
    public Counts totals() {
        return jdbc.queryOne("SELECT COALESCE(SUM(records_read), 0) AS r, COALESCE(SUM(records_written), 0) AS w, "
                        + "COALESCE(SUM(records_parked), 0) AS p, COALESCE(SUM(hubspot_api_calls), 0) AS h, "
                        + "COALESCE(SUM(salesforce_api_calls), 0) AS s FROM sync_run",
                rs -> new Counts(rs.getInt("r"), rs.getInt("w"), rs.getInt("p"), rs.getInt("h"), rs.getInt("s")))
                .orElse(Counts.NONE);
    }

    /** One route's standing: its last finished run and when it last succeeded (null when never). */
    public record Latest(String routeId, SyncRun lastFinished, Instant lastSuccess) {
    }

    /** The last finished run and the last success of every route that has run, by route id. */
    public java.util.Map<String, Latest> latest() {
        java.util.Map<String, Instant> success = new java.util.HashMap<>();
        jdbc.query("SELECT route_id, MAX(finished_at) AS at FROM sync_run WHERE status = ? GROUP BY route_id",
                rs -> success.put(rs.getString("route_id"), Jdbc.instant(rs, "at")), Status.SUCCEEDED);
        java.util.Map<String, Latest> out = new java.util.TreeMap<>();
        jdbc.query("SELECT * FROM sync_run WHERE id IN (SELECT MAX(id) FROM sync_run WHERE finished_at IS NOT NULL GROUP BY route_id)",
                SyncRuns::map).forEach(r -> out.put(r.routeId(), new Latest(r.routeId(), r, success.get(r.routeId()))));
        return out;
    }

    /** What each route moved in runs started since {@code from} (the status page's last 24 hours), by route id. */
    public java.util.Map<String, Counts> totalsSince(Instant from) {
        java.util.Map<String, Counts> out = new java.util.TreeMap<>();
        jdbc.query("SELECT route_id, COALESCE(SUM(records_read), 0) AS r, COALESCE(SUM(records_written), 0) AS w, "
                        + "COALESCE(SUM(records_parked), 0) AS p, COALESCE(SUM(hubspot_api_calls), 0) AS h, "
                        + "COALESCE(SUM(salesforce_api_calls), 0) AS s FROM sync_run WHERE started_at >= ? GROUP BY route_id",
                rs -> out.put(rs.getString("route_id"), new Counts(rs.getInt("r"), rs.getInt("w"), rs.getInt("p"), rs.getInt("h"),
                        rs.getInt("s"))), from);
        return out;
    }

    private static SyncRun map(ResultSet rs) throws SQLException {
        return new SyncRun(rs.getLong("id"), rs.getString("route_id"), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"), Status.valueOf(rs.getString("status")),
                new Counts(rs.getInt("records_read"), rs.getInt("records_written"), rs.getInt("records_parked"),
                        rs.getInt("hubspot_api_calls"), rs.getInt("salesforce_api_calls")),
                rs.getString("error"));
    }
}
