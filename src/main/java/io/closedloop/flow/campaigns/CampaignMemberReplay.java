package io.closedloop.flow.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.hubspot.HubSpotEmailSends;
import io.closedloop.hubspot.HubSpotLists;
import io.closedloop.state.CampaignMembers;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.state.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays parked campaign members (flow {@code salesforce-campaigns}) through the campaign sync's own write path, now,
 * whatever their wait: the same identity resolution, then the keyed CampaignMember upsert in Collections. A member
 * written is resolved; one that still matches no one (or that Salesforce refuses) is parked again with the new
 * reason. The upsert is keyed and the store records what Salesforce confirmed, so nothing is written twice.
 */
public class CampaignMemberReplay implements ParkedReplay.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CampaignMemberReplay.class);

    private final io.closedloop.config.CampaignSync settings;
    private final CampaignMemberSync members;
    private final HubSpotLists lists;
    private final HubSpotEmailSends sends;
    private final StateStore store;
    private final Clock clock;

    public CampaignMemberReplay(io.closedloop.config.CampaignSync settings, CampaignMemberSync members, HubSpotLists lists,
                                HubSpotEmailSends sends, StateStore store, Clock clock) {
        this.settings = settings;
        this.members = members;
        this.lists = lists;
        this.sends = sends;
        this.store = store;
        this.clock = clock;
    }

    /** A parked member as its payload says: its campaign, its person key, its email when known, when it joined. */
    private record Parked(String campaignKey, String personKey, String email, Instant joinedAt) {
    }

    @Override
    public Set<String> replay(String flow, List<ParkedRecord> records) {
        if (!settings.enabled()) {
            // the sync makes no calls while it is off; its records wait for it to be configured again
            throw new IllegalStateException("the campaign sync is off (CLOSEDLOOP_CAMPAIGN_SYNC is empty)");
        }
        Instant now = clock.instant();
        Map<String, Map<String, Parked>> byCampaign = new LinkedHashMap<>();
        for (ParkedRecord r : records) {
            Parked p = decode(r);
            if (p == null) {
                LOG.warn("parked record {} of flow {} holds no campaign member; left parked", r.id(), flow);
                continue;
            }
            byCampaign.computeIfAbsent(p.campaignKey(), k -> new LinkedHashMap<>()).put(p.personKey(), p);
        }
        for (var entry : byCampaign.entrySet()) {
            String key = entry.getKey();
            CampaignMembers.Campaign campaign = store.campaignMembers().campaign(key).orElse(null);
            if (campaign == null) {
                LOG.warn("{}: campaign {} is not in the store; its {} parked member(s) wait for its next poll", flow, key,
                        entry.getValue().size());
                continue;
            }
            Map<String, Instant> joined = new LinkedHashMap<>();
            entry.getValue().forEach((person, p) -> joined.put(person, p.joinedAt()));
            members.replay(key, campaign.sfCampaignId(), joined, now, emailsOf(key, entry.getValue()), emailName(key));
        }
        // what the write path resolved is written; the rest was parked again by it, with the new reason
        Set<String> written = new LinkedHashSet<>();
        for (ParkedRecord r : records) {
            store.parked().byId(r.id()).filter(now0 -> now0.status() == ParkedRecords.Status.RESOLVED)
                    .ifPresent(now0 -> written.add(r.recordKey()));
        }
        return written;
    }

    /** A list member's email is read from HubSpot again, as the sync does; an email recipient's key is its address. */
    private Function<Set<String>, Map<String, String>> emailsOf(String campaignKey, Map<String, Parked> parked) {
        if (campaignKey.startsWith("list:")) {
            return lists::emails;
        }
        return keys -> {
            Map<String, String> out = new HashMap<>();
            keys.forEach(k -> out.put(k, parked.get(k) != null && parked.get(k).email() != null ? parked.get(k).email() : k));
            return out;
        };
    }

    /** The marketing email whose opens and clicks count for an email campaign, as the sync names it; null for a list. */
    private String emailName(String campaignKey) {
        if (!campaignKey.startsWith("email:")) {
            return null;
        }
        return sends.campaign(Long.parseLong(campaignKey.substring("email:".length()))).name();
    }

    private static Parked decode(ParkedRecord r) {
        try {
            JsonNode n = JSON.readTree(r.payload());
            String campaignKey = text(n, "campaignKey");
            String personKey = text(n, "personKey");
            if (campaignKey == null || personKey == null) {
                return null;
            }
            String joined = text(n, "joinedAt");
            // records parked before the join time was kept: first seen, as the email campaigns take it
            return new Parked(campaignKey, personKey, text(n, "email"), joined == null ? r.firstSeen() : Instant.parse(joined));
        } catch (IOException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
