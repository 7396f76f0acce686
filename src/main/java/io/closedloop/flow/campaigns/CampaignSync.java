package io.closedloop.flow.campaigns;

import io.closedloop.config.CampaignSync.Notes;
import io.closedloop.core.FlowId;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotLists;
import io.closedloop.salesforce.SalesforceCampaigns;
import io.closedloop.salesforce.SalesforceCampaigns.CampaignRecord;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceWriteResult;
import io.closedloop.state.CampaignMembers;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign sync (route salesforce-campaigns-sink): each poll reads every configured HubSpot list, keeps one
 * Salesforce Campaign per list (found again by its key, its Description carrying the offer, link and talking points),
 * and hands the members to {@link CampaignMemberSync}. A list that did not change and whose members did nothing new
 * costs its reads and no write.
 */
public class CampaignSync {
    /** What one poll did. */
    public record Outcome(int lists, int campaignsWritten, CampaignMemberSync.Outcome members) {
        static final Outcome NONE = new Outcome(0, 0, CampaignMemberSync.Outcome.NONE);
    }

    public static final String FLOW = FlowId.SALESFORCE_CAMPAIGNS.key();
    public static final String MEMBERS_METRIC = "closedloop.campaign.members";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSync.class);

    private final io.closedloop.config.CampaignSync settings;
    private final HubSpotClient hubspotClient;
    private final HubSpotLists lists;
    private final SalesforceClient salesforceClient;
    private final SalesforceCampaigns campaigns;
    private final CampaignMemberSync members;
    private final StateStore store;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;

    public CampaignSync(io.closedloop.config.CampaignSync settings, HubSpotClient hubspotClient, SalesforceClient salesforceClient,
                        SalesforceCampaigns campaigns, CampaignMemberSync members, StateStore store, Clock clock,
                        Supplier<MeterRegistry> meters) {
        this.settings = settings;
        this.hubspotClient = hubspotClient;
        this.lists = new HubSpotLists(hubspotClient);
        this.salesforceClient = salesforceClient;
        this.campaigns = campaigns;
        this.members = members;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /** Route step: one pass over the configured lists, recorded as a run of the flow. */
    public Outcome poll() {
        if (!settings.enabled()) {
            return Outcome.NONE;
        }
        return store.runs().guard(FLOW, this::poll);
    }

    private Outcome poll(long runId) {
        long hubspotBefore = hubspotClient.calls();
        long salesforceBefore = salesforceClient.calls();
        Instant now = clock.instant();
        int listsRead = 0;
        int campaignsWritten = 0;
        CampaignMemberSync.Outcome total = CampaignMemberSync.Outcome.NONE;
        for (String listId : settings.listIds()) {
            Map<String, Instant> current = lists.members(listId, now);
            if (current == null) {
                // the other lists go on; the Campaign and its members stay as they are
                LOG.warn("{}: HubSpot list {} does not exist; check CLOSEDLOOP_CAMPAIGN_SYNC", FLOW, listId);
                continue;
            }
            listsRead++;
            String key = "list:" + listId;
            Written campaign = campaign(key, lists.list(listId), settings.notesOf(listId));
            if (campaign.written()) {
                campaignsWritten++;
                store.campaignMembers().putCampaigns(List.of(campaign.campaign()));
            }
            total = total.plus(members.sync(key, campaign.campaign().sfCampaignId(), current, now));
        }
        count(total);
        Outcome outcome = new Outcome(listsRead, campaignsWritten, total);
        store.runs().finish(runId, SyncRuns.Status.SUCCEEDED, new SyncRuns.Counts(total.read(), total.written() + total.left(),
                total.parked(), (int) (hubspotClient.calls() - hubspotBefore), (int) (salesforceClient.calls() - salesforceBefore)), null);
        if (total.written() + total.left() + total.parked() + campaignsWritten > 0) {
            LOG.info("{}: {} list(s), {} campaign(s) written, {} member(s) written, {} left, {} parked", FLOW, listsRead,
                    campaignsWritten, total.written(), total.left(), total.parked());
        }
        return outcome;
    }

    /** A list's Campaign, and whether this poll wrote anything for it. */
    private record Written(CampaignMembers.Campaign campaign, boolean written) {
    }

    /**
     * The list's Campaign, written when it is new or its fields changed (by fingerprint), with its member statuses made
     * ready once. When Salesforce refuses it the run fails, saying why, and the next poll tries again.
     */
    private Written campaign(String key, HubSpotLists.ListInfo list, Notes notes) {
        CampaignRecord record = new CampaignRecord(key, list.name(), notes.type().isEmpty() ? "Other" : notes.type(),
                list.createdAt() == null ? null : list.createdAt().atZone(ZoneOffset.UTC).toLocalDate(), description(list, notes));
        String fingerprint = fingerprint(record.toString());
        CampaignMembers.Campaign stored = store.campaignMembers().campaign(key).orElse(null);
        String campaignId = stored == null ? null : stored.sfCampaignId();
        boolean ready = stored != null && stored.statusesReady();
        boolean write = stored == null || !stored.fingerprint().equals(fingerprint);
        if (write) {
            SalesforceWriteResult r = campaigns.upsertCampaigns(List.of(record)).get(0);
            if (!r.success()) {
                throw r.failure().toException();
            }
            campaignId = r.id();
        }
        if (!ready) {
            // once per campaign: a crash before the store records it only makes the next poll find them present
            ready = campaigns.ensureStatuses(java.util.Set.of(campaignId)).contains(campaignId);
            if (!ready) {
                throw new io.closedloop.core.RetriableSyncException("CAMPAIGN_STATUSES", "the member statuses of Campaign " + campaignId
                        + " could not be created", null);
            }
        }
        return new Written(new CampaignMembers.Campaign(key, campaignId, fingerprint, true), write || !stored.statusesReady());
    }

    /** What sales reads on the Campaign: the offer, the link, the talking points, and where the list lives. */
    static String description(HubSpotLists.ListInfo list, Notes notes) {
        StringBuilder d = new StringBuilder();
        if (!notes.offer().isBlank()) {
            d.append("Offer: ").append(notes.offer()).append('\n');
        }
        if (!notes.link().isBlank()) {
            d.append("Link: ").append(notes.link()).append('\n');
        }
        if (!notes.talkingPoints().isBlank()) {
            d.append("Talking points: ").append(notes.talkingPoints()).append('\n');
        }
        d.append("Members of the HubSpot list \"").append(list.name()).append("\" (").append(list.listId())
                .append("), kept by Closedloop; member status follows their engagement (Sent, Opened, Clicked, Responded).");
        String text = d.toString();
        // Campaign.Description is a long text area of 32,000 characters
        return text.length() > 32_000 ? text.substring(0, 32_000) : text;
    }

    static String fingerprint(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(CampaignMemberSync.Outcome o) {
        MeterRegistry registry = meters.get();
        if (registry == null) {
            return;
        }
        registry.counter(MEMBERS_METRIC, "outcome", "written").increment(o.written());
        registry.counter(MEMBERS_METRIC, "outcome", "left").increment(o.left());
        registry.counter(MEMBERS_METRIC, "outcome", "parked").increment(o.parked());
    }
}
