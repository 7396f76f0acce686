package io.closedloop.state;

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
                           Instant breachNotifiedAt) {
    }

    private final Jdbc jdbc;

    SlaClocks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts a clock unless one already exists for the contact; returns whether it started one. */
    public boolean start(String hubspotContactId, String sfRecordId, String ownerId, Instant startedAt, Instant dueAt) {
        try {
            jdbc.update("INSERT INTO sla_clock (hubspot_contact_id, sf_record_id, owner_id, started_at, due_at, status) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", hubspotContactId, sfRecordId, ownerId, startedAt, dueAt, Status.RUNNING);
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

    /** Running clocks whose due time has passed: the breaches still to act on. */
    public List<SlaClock> overdue(Instant now) {
        return jdbc.query("SELECT * FROM sla_clock WHERE status = ? AND stopped_at IS NULL AND due_at <= ? ORDER BY due_at",
                SlaClocks::map, Status.RUNNING, now);
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
                Jdbc.instant(rs, "breach_notified_at"));
    }
}
