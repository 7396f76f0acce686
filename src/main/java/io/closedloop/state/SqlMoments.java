package io.closedloop.state;

import io.closedloop.core.Disposition;
import io.closedloop.core.SalesQualified;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The sales-qualified moments of Flow 2, one per Lead: the first one recorded stays, and each system is marked once
 * its value is written (or found already there), so a re-read, a retry or a restart writes nothing twice.
 */
public final class SqlMoments {
    /** A recorded moment and whether it has reached HubSpot and Salesforce. */
    public record Moment(SalesQualified moment, Instant hubspotAt, Instant salesforceAt) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write insert;

    SqlMoments(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insert = statements.insertIgnore("sql_moment", List.of("lead_id"), "lead_id", "email", "target_object", "target_id",
                "disposition", "qualified_at");
    }

    /** Records the moments of Leads that have none yet; a Lead already recorded keeps its first moment. */
    public void record(Collection<SalesQualified> moments) {
        jdbc.batch(insert, moments.stream().map(m -> new Object[] {m.leadId(), m.email(), m.targetObject(), m.targetId(),
                m.disposition().value(), m.at()}).toList());
    }

    /** Moments not yet in HubSpot or not yet in Salesforce, oldest first. */
    public List<Moment> pending(int limit) {
        return select("WHERE hubspot_at IS NULL OR salesforce_at IS NULL ORDER BY qualified_at, lead_id LIMIT " + Math.max(1, limit));
    }

    /** Moments that qualified at or after the instant, for the funnel report. */
    public List<Moment> since(Instant from) {
        return select("WHERE qualified_at >= ? ORDER BY qualified_at, lead_id", from);
    }

    /** Which of these Leads have a moment recorded already. */
    public java.util.Set<String> recorded(Collection<String> leadIds) {
        return of(leadIds).keySet();
    }

    /** The moment of each of these Leads that has one, by Lead id. */
    public java.util.Map<String, Instant> of(Collection<String> leadIds) {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(leadIds));
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            jdbc.query("SELECT lead_id, qualified_at FROM sql_moment WHERE lead_id IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> out.put(rs.getString(1), Jdbc.instant(rs, "qualified_at")), chunk.toArray());
        }
        return out;
    }

    public void markHubSpot(Collection<String> leadIds) {
        mark("hubspot_at", leadIds);
    }

    public void markSalesforce(Collection<String> leadIds) {
        mark("salesforce_at", leadIds);
    }

    private void mark(String column, Collection<String> leadIds) {
        Instant now = clock.instant();
        jdbc.batch("UPDATE sql_moment SET " + column + " = ? WHERE lead_id = ? AND " + column + " IS NULL",
                leadIds.stream().map(id -> new Object[] {now, id}).toList());
    }

    private List<Moment> select(String where, Object... args) {
        return jdbc.query("SELECT lead_id, email, target_object, target_id, disposition, qualified_at, hubspot_at, salesforce_at "
                + "FROM sql_moment " + where, rs -> new Moment(new SalesQualified(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Disposition.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), Jdbc.instant(rs, "qualified_at")),
                Jdbc.instant(rs, "hubspot_at"), Jdbc.instant(rs, "salesforce_at")), args);
    }
}
