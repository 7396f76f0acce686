package io.closedloop.state;

import io.closedloop.core.SlaVerdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Hand-off SLA clocks. They live in the database so they survive restarts. */
public final class SlaClocks {
    public enum Status { RUNNING, MET, BREACHED }

    public record SlaClock(String hubspotContactId, String sfRecordId, String ownerId, Instant startedAt,
                           Instant dueAt, Instant stoppedAt, String stopReason, Status status,
                           Instant breachNotifiedAt, String startStatus) {
        /** Still waiting for the first sales action (running, or breached and not yet worked). */
        public boolean open() {
            return stoppedAt == null;
        }

        /** The clock as the SLA verdict sees it. */
        public SlaVerdict.Clock facts() {
            return new SlaVerdict.Clock(startedAt, dueAt, status == Status.RUNNING, status == Status.BREACHED, startStatus);
        }
    }

    private final Jdbc jdbc;

    SlaClocks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts a clock unless one already exists for the contact; returns whether it started one. */
    public boolean start(String hubspotContactId, String sfRecordId, String ownerId, Instant startedAt, Instant dueAt) {
        return start(hubspotContactId, sfRecordId, ownerId, startedAt, dueAt, null);
    }

    /** @param startStatus the Lead Status when the clock started (null for a Contact): leaving it is a sales action */
    public boolean start(String hubspotContactId, String sfRecordId, String ownerId, Instant startedAt, Instant dueAt,
                         String startStatus) {
        try {
            jdbc.update("INSERT INTO sla_clock (hubspot_contact_id, sf_record_id, owner_id, started_at, due_at, status, start_status) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", hubspotContactId, sfRecordId, ownerId, startedAt, dueAt, Status.RUNNING, startStatus);
            return true;
        } catch (StateStoreException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The first sales action stops a running or breached clock; returns whether one was stopped. */
    public boolean stop(String hubspotContactId, Instant at, String reason) {
        return jdbc.update("UPDATE sla_clock SET stopped_at = ?, stop_reason = ?, status = CASE WHEN status = ? "
                        + "THEN ? ELSE status END WHERE hubspot_contact_id = ? AND stopped_at IS NULL",
                at, reason, Status.RUNNING, Status.MET, hubspotContactId) > 0;
    }

    /**
     * A later MQL moment of a contact whose clock has stopped starts a new clock in its place; returns false (and
     * changes nothing) while the old clock is still open or the moment is not after the old clock stopped.
     */
    public boolean restart(String hubspotContactId, String sfRecordId, String ownerId, Instant startedAt, Instant dueAt,
                           String startStatus) {
        return jdbc.update("UPDATE sla_clock SET sf_record_id = ?, owner_id = ?, started_at = ?, due_at = ?, status = ?, "
                        + "start_status = ?, stopped_at = NULL, stop_reason = NULL, breach_notified_at = NULL "
                        + "WHERE hubspot_contact_id = ? AND stopped_at IS NOT NULL AND stopped_at < ?",
                sfRecordId, ownerId, startedAt, dueAt, Status.RUNNING, startStatus, hubspotContactId, startedAt) > 0;
    }

    /** Sales acted after the due time on a clock whose breach was never raised: it ends BREACHED (worked late). */
    public boolean stopLate(String hubspotContactId, Instant at, String reason) {
        return jdbc.update("UPDATE sla_clock SET stopped_at = ?, stop_reason = ?, status = ?, breach_notified_at = NULL "
                        + "WHERE hubspot_contact_id = ? AND stopped_at IS NULL AND status = ?",
                at, reason, Status.BREACHED, hubspotContactId, Status.RUNNING) > 0;
    }

    /** Clocks still waiting for the first sales action, running or breached. */
    public List<SlaClock> open() {
        return jdbc.query("SELECT * FROM sla_clock WHERE stopped_at IS NULL ORDER BY due_at, hubspot_contact_id", SlaClocks::map);
    }

    /** Clocks whose MQL moment is at or after the instant, for the funnel report. */
    public List<SlaClock> startedSince(Instant from) {
        return jdbc.query("SELECT * FROM sla_clock WHERE started_at >= ? ORDER BY started_at, hubspot_contact_id", SlaClocks::map, from);
    }

    /** Running clocks whose due time has passed: the breaches still to act on. */
    public List<SlaClock> overdue(Instant now) {
        return jdbc.query("SELECT * FROM sla_clock WHERE status = ? AND stopped_at IS NULL AND due_at <= ? ORDER BY due_at",
                SlaClocks::map, Status.RUNNING, now);
    }

    /** What the status page and the metrics show: clocks open, open and due before {@code dueBy}, breaches since. */
    public record Counts(long open, long dueSoon, long breachedSince, long breachedEver) {
    }

    public Counts counts(Instant dueBy, Instant breachedFrom) {
        return jdbc.queryOne("SELECT "
                        + "COALESCE(SUM(CASE WHEN stopped_at IS NULL THEN 1 ELSE 0 END), 0) AS open_clocks, "
                        + "COALESCE(SUM(CASE WHEN stopped_at IS NULL AND status = ? AND due_at <= ? THEN 1 ELSE 0 END), 0) AS due_soon, "
                        + "COALESCE(SUM(CASE WHEN status = ? AND breach_notified_at >= ? THEN 1 ELSE 0 END), 0) AS breached_since, "
                        + "COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS breached_ever FROM sla_clock",
                rs -> new Counts(rs.getLong("open_clocks"), rs.getLong("due_soon"), rs.getLong("breached_since"), rs.getLong("breached_ever")),
                Status.RUNNING, dueBy, Status.BREACHED, breachedFrom, Status.BREACHED).orElse(new Counts(0, 0, 0, 0));
    }

    public boolean markBreached(String hubspotContactId, Instant notifiedAt) {
        return jdbc.update("UPDATE sla_clock SET status = ?, breach_notified_at = ? WHERE hubspot_contact_id = ? AND status = ?",
                Status.BREACHED, notifiedAt, hubspotContactId, Status.RUNNING) > 0;
    }

    public Optional<SlaClock> find(String hubspotContactId) {
        return jdbc.queryOne("SELECT * FROM sla_clock WHERE hubspot_contact_id = ?", SlaClocks::map, hubspotContactId);
    }

    private static SlaClock map(ResultSet rs) throws SQLException {
        return new SlaClock(rs.getString("hubspot_contact_id"), rs.getString("sf_record_id"), rs.getString("owner_id"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "due_at"), Jdbc.instant(rs, "stopped_at"),
                rs.getString("stop_reason"), Status.valueOf(rs.getString("status")),
                Jdbc.instant(rs, "breach_notified_at"), rs.getString("start_status"));
    }
}
