package io.closedloop.state;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Salesforce Campaign each synced HubSpot list or marketing email became, and its members as last written
 * (status, the Lead or Contact, still in the list or not). Rows change only after Salesforce confirmed the write.
 */
public final class CampaignMembers {
    /** A campaign as written: its Salesforce id, a fingerprint of the fields sent, and whether its member statuses exist. */
    public record Campaign(String campaignKey, String sfCampaignId, String fingerprint, boolean statusesReady) {
    }

    /** A member as written; {@code personKey} is the HubSpot contact id (lists) or the email (email campaigns). */
    public record Member(String campaignKey, String personKey, String sfPersonId, String sfMemberId, String status, Instant joinedAt,
                         boolean inList) {
        public Member withWritten(String memberId) {
            return new Member(campaignKey, personKey, sfPersonId, memberId, status, joinedAt, inList);
        }
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsertCampaign;
    private final SqlStatements.Write upsertMember;

    CampaignMembers(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsertCampaign = statements.upsert("campaign_sync", List.of("campaign_key"), "campaign_key", "sf_campaign_id", "fingerprint",
                "statuses_ready", "updated_at");
        this.upsertMember = statements.upsert("campaign_member", List.of("campaign_key", "person_key"), "campaign_key", "person_key",
                "sf_person_id", "sf_member_id", "status", "joined_at", "in_list", "updated_at");
    }

    public Optional<Campaign> campaign(String campaignKey) {
        return jdbc.queryOne("SELECT campaign_key, sf_campaign_id, fingerprint, statuses_ready FROM campaign_sync WHERE campaign_key = ?",
                rs -> new Campaign(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)), campaignKey);
    }

    /** The keys of the campaigns kept so far whose key starts with {@code prefix}, e.g. {@code email:}. */
    public List<String> campaignKeys(String prefix) {
        return jdbc.query("SELECT campaign_key FROM campaign_sync WHERE campaign_key LIKE ? ORDER BY campaign_key", rs -> rs.getString(1),
                prefix.replace("%", "") + "%");
    }

    public void putCampaigns(List<Campaign> campaigns) {
        Instant now = clock.instant();
        jdbc.batch(upsertCampaign, campaigns.stream().map(c -> new Object[] {c.campaignKey(), c.sfCampaignId(), c.fingerprint(),
                c.statusesReady(), now}).toList());
    }

    /** The stored members of a campaign, by person key. */
    public Map<String, Member> members(String campaignKey) {
        Map<String, Member> out = new LinkedHashMap<>();
        jdbc.query("SELECT campaign_key, person_key, sf_person_id, sf_member_id, status, joined_at, in_list FROM campaign_member"
                        + " WHERE campaign_key = ? ORDER BY person_key", rs -> new Member(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), Jdbc.instant(rs, "joined_at"), rs.getBoolean(7)), campaignKey)
                .forEach(m -> out.put(m.personKey(), m));
        return out;
    }

    /**
     * Records members as Salesforce confirmed them, all or none: one batch in one transaction (on PostgreSQL a few
     * set-based statements, however many members).
     */
    public void putMembers(List<Member> members) {
        Instant now = clock.instant();
        jdbc.batch(upsertMember, members.stream().map(m -> new Object[] {m.campaignKey(), m.personKey(), m.sfPersonId(), m.sfMemberId(),
                m.status(), m.joinedAt(), m.inList(), now}).toList());
    }

    /** Forgets members removed from their Salesforce campaign. */
    public void removeMembers(List<Member> members) {
        jdbc.batch("DELETE FROM campaign_member WHERE campaign_key = ? AND person_key = ?",
                members.stream().map(m -> new Object[] {m.campaignKey(), m.personKey()}).toList());
    }
}
