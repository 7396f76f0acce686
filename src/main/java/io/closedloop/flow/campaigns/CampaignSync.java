package io.closedloop.flow.campaigns;

import io.closedloop.config.CampaignSync.Notes;
import io.closedloop.core.FlowId;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotEmailSends;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Set;
import java.util.function.Function;
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
    public record Outcome(int campaigns, int campaignsWritten, CampaignMemberSync.Outcome members) {
        static final Outcome NONE = new Outcome(0, 0, CampaignMemberSync.Outcome.NONE);
    }

    public static final String FLOW = FlowId.SALESFORCE_CAMPAIGNS.key();
    public static final String MEMBERS_METRIC = "closedloop.campaign.members";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSync.class);

    private final io.closedloop.config.CampaignSync settings;
    private final HubSpotClient hubspotClient;
    private final HubSpotLists lists;
    private final EmailCampaigns emailCampaigns;
    private final SalesforceClient salesforceClient;
    private final SalesforceCampaigns campaigns;
    private final CampaignMemberSync members;
    private final StateStore store;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;

    /** @param startFrom where the recipients of marketing emails are first read from ({@code CLOSEDLOOP_START_FROM}) */
    public CampaignSync(io.closedloop.config.CampaignSync settings, HubSpotClient hubspotClient, SalesforceClient salesforceClient,
                        SalesforceCampaigns campaigns, CampaignMemberSync members, StateStore store, Clock clock,
                        Supplier<MeterRegistry> meters, io.closedloop.core.StartFrom startFrom) {
        this.settings = settings;
        this.hubspotClient = hubspotClient;
        this.lists = new HubSpotLists(hubspotClient);
        this.emailCampaigns = new EmailCampaigns(new HubSpotEmailSends(hubspotClient), store, startFrom);
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

    /**
     * One Campaign to keep this poll: what sales reads about it, its members now (person key to when they joined), how
     * to find their emails, and the email whose opens and clicks count for it (null: any).
     */
    record Target(String key, Spec spec, Map<String, Instant> current, Function<Set<String>, Map<String, String>> emailsOf,
                  String emailName) {
    }

    /** A Campaign's name, its Type unless the notes say otherwise, its Start Date (set on create) and where it comes from. */
    record Spec(String name, String type, LocalDate startDate, String origin) {
    }

    private Outcome poll(long runId) {
        long hubspotBefore = hubspotClient.calls();
        long salesforceBefore = salesforceClient.calls();
        Instant now = clock.instant();
        List<Target> targets = new ArrayList<>();
        for (String listId : settings.listIds()) {
            Map<String, Instant> current = lists.members(listId, now);
            if (current == null) {
                // the other lists go on; the Campaign and its members stay as they are
                LOG.warn("{}: HubSpot list {} does not exist; check CLOSEDLOOP_CAMPAIGN_SYNC", FLOW, listId);
                continue;
            }
            HubSpotLists.ListInfo list = lists.list(listId);
            targets.add(new Target("list:" + listId, new Spec(list.name(), "Other",
                    list.createdAt() == null ? null : list.createdAt().atZone(ZoneOffset.UTC).toLocalDate(),
                    "Members of the HubSpot list \"" + list.name() + "\" (" + listId + ")"), current, lists::emails, null));
        }
        EmailCampaigns.Read emails = settings.allEmailCampaigns() ? emailCampaigns.read(now) : null;
        if (emails != null) {
            targets.addAll(emails.targets());
        }
        int campaignsWritten = 0;
        CampaignMemberSync.Outcome total = CampaignMemberSync.Outcome.NONE;
        for (Target t : targets) {
            Written campaign = campaign(t.key(), t.spec(), settings.notesOf(t.key()));
            if (campaign.written()) {
                campaignsWritten++;
                store.campaignMembers().putCampaigns(List.of(campaign.campaign()));
            }
            total = total.plus(members.sync(t.key(), campaign.campaign().sfCampaignId(), t.current(), now, t.emailsOf(), t.emailName()));
        }
        if (emails != null) {
            // every recipient the window held is written or parked: the window is done
            emails.commit();
        }
        count(total);
        Outcome outcome = new Outcome(targets.size(), campaignsWritten, total);
        store.runs().finish(runId, SyncRuns.Status.SUCCEEDED, new SyncRuns.Counts(total.read(), total.written() + total.left(),
                total.parked(), (int) (hubspotClient.calls() - hubspotBefore), (int) (salesforceClient.calls() - salesforceBefore)), null);
        if (total.written() + total.left() + total.parked() + campaignsWritten > 0) {
            LOG.info("{}: {} campaign(s), {} written, {} member(s) written, {} left, {} parked", FLOW, targets.size(),
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
    private Written campaign(String key, Spec spec, Notes notes) {
        CampaignMembers.Campaign stored = store.campaignMembers().campaign(key).orElse(null);
        String type = notes.type().isEmpty() ? spec.type() : notes.type();
        // the Start Date is set when the Campaign is created; an email's first send seen may differ from poll to poll
        CampaignRecord record = new CampaignRecord(key, spec.name(), type, stored == null ? spec.startDate() : null,
                description(spec.origin(), notes));
        String fingerprint = fingerprint(String.join("\n", key, spec.name(), type, record.description()));
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

    /** What sales reads on the Campaign: the offer, the link, the talking points, and where its members come from. */
    static String description(String origin, Notes notes) {
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
        d.append(origin).append(", kept by Closedloop; member status follows their engagement (Sent, Opened, Clicked, Responded).");
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
