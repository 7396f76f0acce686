package io.closedloop.state;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Flow 2's state: what was last sent per Salesforce record, won amounts per contact, and campaign attribution. */
public final class Dispositions {
    /** One campaign's share of one opportunity under one model. */
    public record Attribution(String opportunityId, String model, String campaign, BigDecimal amount) {
    }

    /** A campaign's total under a model, for the ops API. */
    public record CampaignTotal(String campaign, String model, BigDecimal amount, long opportunities) {
    }

    /** A verdict with a reason that reached HubSpot: a rejected Lead or a lost Opportunity, by record id. */
    public record Verdict(String sfId, String disposition, String reason, Instant decidedAt, Instant sentAt) {
    }

    /** How many verdicts of one kind and reason reached HubSpot in a period. */
    public record VerdictCount(String disposition, String reason, long count) {
    }

    private static final int CHUNK = 500;

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsertState;
    private final SqlStatements.Write upsertWon;
    private final SqlStatements.Write upsertAttribution;
    private final SqlStatements.Write insertVerdict;

    Dispositions(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsertState = statements.upsert("disposition_state", List.of("sf_id"), "sf_id", "fingerprint", "updated_at");
        this.upsertWon = statements.upsert("won_opportunity_contact", List.of("opportunity_id", "email"), "opportunity_id", "email",
                "amount", "closed_at");
        this.upsertAttribution = statements.upsert("campaign_attribution", List.of("opportunity_id", "model", "campaign"),
                "opportunity_id", "model", "campaign", "amount", "computed_at");
        this.insertVerdict = statements.insertIgnore("disposition_verdict", List.of("sf_id", "disposition", "decided_at"),
                "sf_id", "disposition", "reason", "decided_at", "sent_at");
    }

    public Map<String, String> fingerprints(Collection<String> sfIds) {
        Map<String, String> out = new HashMap<>();
        List<String> ids = new ArrayList<>(sfIds);
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            jdbc.query("SELECT sf_id, fingerprint FROM disposition_state WHERE sf_id IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")", rs -> out.put(rs.getString(1), rs.getString(2)),
                    chunk.toArray());
        }
        return out;
    }

    public void saveFingerprints(Map<String, String> bySfId) {
        Instant now = clock.instant();
        jdbc.batch(upsertState, bySfId.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue(), now}).toList());
    }

    public void recordWon(String opportunityId, Collection<String> emails, BigDecimal amount, Instant closedAt) {
        jdbc.batch(upsertWon, emails.stream().map(e -> new Object[] {opportunityId, e, amount, closedAt}).toList());
    }

    /** Total won amount per email, over every won opportunity the person took part in. */
    public Map<String, BigDecimal> wonAmounts(Collection<String> emails) {
        Map<String, BigDecimal> out = new HashMap<>();
        List<String> all = new ArrayList<>(emails);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + CHUNK));
            jdbc.query("SELECT email, SUM(amount) FROM won_opportunity_contact WHERE email IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "?")) + ") GROUP BY email",
                    rs -> out.put(rs.getString(1), rs.getBigDecimal(2)), chunk.toArray());
        }
        return out;
    }

    /** Replaces an opportunity's attribution (a re-read computes the same rows). */
    public void saveAttribution(String opportunityId, List<Attribution> rows) {
        jdbc.update("DELETE FROM campaign_attribution WHERE opportunity_id = ?", opportunityId);
        Instant now = clock.instant();
        jdbc.batch(upsertAttribution, rows.stream().map(a -> new Object[] {a.opportunityId(), a.model(), a.campaign(), a.amount(), now}).toList());
    }

    public List<Attribution> attributionOf(String opportunityId) {
        return jdbc.query("SELECT opportunity_id, model, campaign, amount FROM campaign_attribution WHERE opportunity_id = ? "
                + "ORDER BY model, campaign", rs -> new Attribution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4)),
                opportunityId);
    }

    public List<CampaignTotal> campaignTotals() {
        return jdbc.query("SELECT campaign, model, SUM(amount), COUNT(DISTINCT opportunity_id) FROM campaign_attribution "
                + "GROUP BY campaign, model ORDER BY model, SUM(amount) DESC, campaign",
                rs -> new CampaignTotal(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getLong(4)));
    }

    /**
     * Records verdicts sent now (their {@code sentAt} is ignored; a missing {@code decidedAt} is now too); one already
     * recorded (a re-read of the same decision) stays as it was.
     */
    public void recordVerdicts(Collection<Verdict> verdicts) {
        Instant now = clock.instant();
        jdbc.batch(insertVerdict, verdicts.stream().map(v -> new Object[] {v.sfId(), v.disposition(), v.reason(),
                v.decidedAt() == null ? now : v.decidedAt(), now}).toList());
    }

    /** The latest verdicts sent since the instant, newest first. */
    public List<Verdict> recentVerdicts(Instant since, int limit) {
        return jdbc.query("SELECT sf_id, disposition, reason, decided_at, sent_at FROM disposition_verdict WHERE sent_at >= ? "
                + "ORDER BY sent_at DESC, sf_id LIMIT " + Math.max(1, limit), rs -> new Verdict(rs.getString(1), rs.getString(2),
                rs.getString(3), Jdbc.instant(rs, "decided_at"), Jdbc.instant(rs, "sent_at")), since);
    }

    /** Every verdict of one kind sent since the instant, oldest first (the funnel report). */
    public List<Verdict> verdictsSince(String disposition, Instant since) {
        return jdbc.query("SELECT sf_id, disposition, reason, decided_at, sent_at FROM disposition_verdict WHERE disposition = ? AND sent_at >= ? "
                + "ORDER BY sent_at, sf_id", rs -> new Verdict(rs.getString(1), rs.getString(2), rs.getString(3),
                Jdbc.instant(rs, "decided_at"), Jdbc.instant(rs, "sent_at")), disposition, since);
    }

    /** Campaign totals per model over the opportunities won (closed) since the instant. */
    public List<CampaignTotal> campaignTotalsClosedSince(Instant since) {
        return jdbc.query("SELECT campaign, model, SUM(amount), COUNT(DISTINCT opportunity_id) FROM campaign_attribution "
                + "WHERE opportunity_id IN (SELECT opportunity_id FROM won_opportunity_contact WHERE closed_at >= ?) "
                + "GROUP BY campaign, model ORDER BY model, SUM(amount) DESC, campaign",
                rs -> new CampaignTotal(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getLong(4)), since);
    }

    /** Verdicts sent since the instant, counted by kind and reason (a missing reason counts under null). */
    public List<VerdictCount> verdictCounts(Instant since) {
        return jdbc.query("SELECT disposition, reason, COUNT(*) FROM disposition_verdict WHERE sent_at >= ? "
                + "GROUP BY disposition, reason ORDER BY COUNT(*) DESC, disposition, reason",
                rs -> new VerdictCount(rs.getString(1), rs.getString(2), rs.getLong(3)), since);
    }

    /** Forgets verdicts sent before the instant (state retention); returns how many. */
    public int forgetVerdictsBefore(Instant before) {
        return jdbc.update("DELETE FROM disposition_verdict WHERE sent_at < ?", before);
    }
}
