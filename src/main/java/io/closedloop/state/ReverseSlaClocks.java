package io.closedloop.state;

import io.closedloop.core.ReverseSlaVerdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reverse SLA clocks: a lead handed back to marketing, due by a time. In the database, so they survive restarts. */
public final class ReverseSlaClocks {
    public enum Status { RUNNING, BREACHED, MET, CLEARED }

    public record ReverseClock(String hubspotContactId, String sfRecordId, String disposition, String reason, String handedBackStage, String handedBackLeadStatus,
                               Instant startedAt, Instant dueAt, Status status, Instant announcedAt, Instant actedAt, String actReason,
                               Instant taskRequestedAt, String taskId, Instant breachedAt, Instant stoppedAt) {
        /** The clock as the verdict sees it. */
        public ReverseSlaVerdict.Clock facts() {
            return new ReverseSlaVerdict.Clock(dueAt, announcedAt != null, status == Status.BREACHED, actedAt);
        }
    }

    /** A hand-back that starts a clock. */
    public record Start(String hubspotContactId, String sfRecordId, String disposition, String reason, String handedBackStage, String handedBackLeadStatus,
                        Instant startedAt, Instant dueAt) {
    }

    private final Jdbc jdbc;

    ReverseSlaClocks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Starts a clock unless one is open for the contact; a contact whose clock stopped before this hand-back starts
     * again. Returns whether a clock started.
     */
    public boolean start(Start s) {
        try {
            jdbc.update("INSERT INTO reverse_sla_clock (hubspot_contact_id, sf_record_id, disposition, reason, handed_back_stage, handed_back_lead_status, "
                    + "started_at, due_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", s.hubspotContactId(), s.sfRecordId(), s.disposition(), s.reason(),
                    s.handedBackStage(), s.handedBackLeadStatus(), s.startedAt(), s.dueAt(), Status.RUNNING);
            return true;
        } catch (StateStoreException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
        return jdbc.update("UPDATE reverse_sla_clock SET sf_record_id = ?, disposition = ?, reason = ?, handed_back_stage = ?, handed_back_lead_status = ?, started_at = ?, "
                        + "due_at = ?, status = ?, announced_at = NULL, acted_at = NULL, act_reason = NULL, task_requested_at = NULL, task_id = NULL, breached_at = NULL, "
                        + "stopped_at = NULL WHERE hubspot_contact_id = ? AND stopped_at IS NOT NULL AND stopped_at < ?",
                s.sfRecordId(), s.disposition(), s.reason(), s.handedBackStage(), s.handedBackLeadStatus(), s.startedAt(), s.dueAt(), Status.RUNNING,
                s.hubspotContactId(), s.startedAt()) > 0;
    }

    /** Clocks still open: running, or breached and waiting for marketing. */
    public List<ReverseClock> open() {
        return jdbc.query("SELECT * FROM reverse_sla_clock WHERE stopped_at IS NULL ORDER BY due_at, hubspot_contact_id", ReverseSlaClocks::map);
    }

    public boolean anyOpen() {
        return jdbc.queryOne("SELECT hubspot_contact_id FROM reverse_sla_clock WHERE stopped_at IS NULL FETCH FIRST 1 ROWS ONLY",
                rs -> rs.getString(1)).isPresent();
    }

    /** Marketing acted on the contact at {@code at}: recorded on its open clock if the clock started before; returns whether it was. */
    public boolean acted(String hubspotContactId, Instant at, String reason) {
        return jdbc.update("UPDATE reverse_sla_clock SET acted_at = ?, act_reason = ? WHERE hubspot_contact_id = ? AND stopped_at IS NULL "
                + "AND acted_at IS NULL AND started_at <= ?", at, reason, hubspotContactId, at) > 0;
    }

    /** HubSpot was told the clock runs. */
    public void announced(String hubspotContactId, Instant at) {
        jdbc.update("UPDATE reverse_sla_clock SET announced_at = ? WHERE hubspot_contact_id = ? AND announced_at IS NULL", at, hubspotContactId);
    }

    /** The breach task is about to be created: a restart that finds this without a task id looks for the task first. */
    public void taskRequested(String hubspotContactId, Instant at) {
        jdbc.update("UPDATE reverse_sla_clock SET task_requested_at = ? WHERE hubspot_contact_id = ? AND stopped_at IS NULL", at, hubspotContactId);
    }

    /** The breach task exists in HubSpot; kept before anything else so it is never created twice. */
    public void taskCreated(String hubspotContactId, String taskId) {
        jdbc.update("UPDATE reverse_sla_clock SET task_id = ? WHERE hubspot_contact_id = ? AND stopped_at IS NULL", taskId, hubspotContactId);
    }

    /** The contact shows breached; returns true only the first time, so a breach is counted once. */
    public boolean markBreached(String hubspotContactId, Instant at) {
        return jdbc.update("UPDATE reverse_sla_clock SET status = ?, breached_at = ?, announced_at = COALESCE(announced_at, ?) "
                + "WHERE hubspot_contact_id = ? AND status = ? AND stopped_at IS NULL", Status.BREACHED, at, at, hubspotContactId, Status.RUNNING) > 0;
    }

    /** Marketing's action reached HubSpot: the clock ends MET or CLEARED; returns whether it ended now. */
    public boolean stop(String hubspotContactId, Status outcome, Instant at) {
        return jdbc.update("UPDATE reverse_sla_clock SET status = ?, stopped_at = ? WHERE hubspot_contact_id = ? AND stopped_at IS NULL",
                outcome, at, hubspotContactId) > 0;
    }

    public Optional<ReverseClock> find(String hubspotContactId) {
        return jdbc.queryOne("SELECT * FROM reverse_sla_clock WHERE hubspot_contact_id = ?", ReverseSlaClocks::map, hubspotContactId);
    }

    /** What the metrics show: open clocks, breached and met ever. */
    public record Counts(long open, long breached, long met) {
    }

    public Counts counts() {
        return jdbc.queryOne("SELECT COALESCE(SUM(CASE WHEN stopped_at IS NULL THEN 1 ELSE 0 END), 0) AS open_clocks, "
                        + "COALESCE(SUM(CASE WHEN breached_at IS NOT NULL OR (status = ? AND acted_at > due_at) THEN 1 ELSE 0 END), 0) AS breached, "
                        + "COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS met FROM reverse_sla_clock",
                rs -> new Counts(rs.getLong("open_clocks"), rs.getLong("breached"), rs.getLong("met")), Status.CLEARED, Status.MET)
                .orElse(new Counts(0, 0, 0));
    }

    private static ReverseClock map(ResultSet rs) throws SQLException {
        return new ReverseClock(rs.getString("hubspot_contact_id"), rs.getString("sf_record_id"), rs.getString("disposition"),
                rs.getString("reason"), rs.getString("handed_back_stage"), rs.getString("handed_back_lead_status"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "due_at"),
                Status.valueOf(rs.getString("status")), Jdbc.instant(rs, "announced_at"), Jdbc.instant(rs, "acted_at"),
                rs.getString("act_reason"), Jdbc.instant(rs, "task_requested_at"), rs.getString("task_id"), Jdbc.instant(rs, "breached_at"), Jdbc.instant(rs, "stopped_at"));
    }
}
