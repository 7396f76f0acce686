package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Salesforce Campaigns and their members as Closedloop keeps them (salesforce-api.md §3.3, §7.5; second-batch-notes
 * §3): Campaigns and CampaignMembers are upserted in sObject Collections by the custom external ids shipped in
 * {@code salesforce/force-app} (CampaignMember has no standard one), packed five collections to a Composite call,
 * and each campaign's member statuses are created once with {@code HasResponded} set right.
 */
public class SalesforceCampaigns {
    public static final String CAMPAIGN_KEY = "Closedloop_Campaign_Key__c";
    public static final String MEMBER_KEY = "Closedloop_Member_Key__c";
    /** Labels of the member statuses Closedloop uses, in the order engagement moves through them. */
    public static final String SENT = "Sent";
    public static final String OPENED = "Opened";
    public static final String CLICKED = "Clicked";
    public static final String RESPONDED = "Responded";
    public static final String LEFT = "Left List";

    /** A Campaign to write: its key, the fields sales sees. */
    public record CampaignRecord(String key, String name, String type, LocalDate startDate, String description) {
        Map<String, Object> fields() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put(CAMPAIGN_KEY, key);
            f.put("Name", name.length() > 80 ? name.substring(0, 80) : name);
            f.put("Type", type);
            f.put("Status", "In Progress");
            f.put("IsActive", true);
            f.put("StartDate", startDate == null ? null : startDate.toString());
            f.put("Description", description);
            return f;
        }
    }

    /**
     * A CampaignMember to write. A new one carries the campaign and the person (create-only fields); one written before
     * carries only its key and status.
     */
    public record MemberRecord(String key, String campaignId, String personId, boolean lead, String status, boolean isNew) {
        Map<String, Object> fields() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put(MEMBER_KEY, key);
            if (isNew) {
                f.put("CampaignId", campaignId);
                f.put(lead ? "LeadId" : "ContactId", personId);
            }
            f.put("Status", status);
            return f;
        }

        MemberRecord statusOnly() {
            return new MemberRecord(key, campaignId, personId, lead, status, false);
        }
    }

    /** The member status labels and whether each counts as a response. */
    static final Map<String, Boolean> STATUSES = statuses();

    private static Map<String, Boolean> statuses() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put(SENT, false);
        m.put(RESPONDED, true);
        m.put(OPENED, false);
        m.put(CLICKED, false);
        m.put(LEFT, false);
        return java.util.Collections.unmodifiableMap(m);
    }

    private final SalesforceClient client;
    private final SalesforceActivityWriter writer;

    public SalesforceCampaigns(SalesforceClient client, SalesforceActivityWriter writer) {
        this.client = client;
        this.writer = writer;
    }

    /** Upserts the Campaigns by their key; results by key (the Campaign id, or the refusal). */
    public List<SalesforceWriteResult> upsertCampaigns(List<CampaignRecord> campaigns) {
        return write(campaigns.stream().map(c -> new SalesforceWrite(c.key(), "Campaign", CAMPAIGN_KEY, c.fields())).toList());
    }

    /**
     * Makes sure each campaign has Closedloop's member statuses: one query for all of them, then one Composite call that
     * creates the missing labels and corrects a {@code HasResponded} set otherwise. Returns the campaigns that are ready.
     */
    public Set<String> ensureStatuses(Set<String> campaignIds) {
        if (campaignIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Map<String, JsonNode>> existing = new HashMap<>();
        for (String in : SalesforceSoql.inLists(campaignIds, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
            for (JsonNode s : client.query("SELECT Id, CampaignId, Label, HasResponded, SortOrder FROM CampaignMemberStatus WHERE CampaignId IN ("
                    + in + ")")) {
                existing.computeIfAbsent(s.path("CampaignId").asText(), k -> new HashMap<>()).put(s.path("Label").asText(), s);
            }
        }
        List<SalesforceWrite> writes = new ArrayList<>();
        for (String campaignId : campaignIds) {
            Map<String, JsonNode> have = existing.getOrDefault(campaignId, Map.of());
            int sort = have.values().stream().mapToInt(s -> s.path("SortOrder").asInt(0)).max().orElse(0);
            for (Map.Entry<String, Boolean> status : STATUSES.entrySet()) {
                JsonNode found = have.get(status.getKey());
                if (found == null) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("CampaignId", campaignId);
                    f.put("Label", status.getKey());
                    f.put("HasResponded", status.getValue());
                    f.put("SortOrder", ++sort);
                    writes.add(SalesforceWrite.create(campaignId, "CampaignMemberStatus", f));
                } else if (found.path("HasResponded").asBoolean() != status.getValue()) {
                    writes.add(new SalesforceWrite(campaignId, "CampaignMemberStatus", null,
                            Map.of("Id", found.path("Id").asText(), "HasResponded", status.getValue())));
                }
            }
        }
        Set<String> failed = write(writes).stream().filter(r -> !r.success()).map(r -> r.write().key()).collect(Collectors.toSet());
        return campaignIds.stream().filter(id -> !failed.contains(id)).collect(Collectors.toSet());
    }

    /**
     * Upserts members by their key. A new member whose record exists already (written before a crash, so not known
     * as written) is refused for its create-only fields by some orgs: it is written again with its status only.
     */
    public List<SalesforceWriteResult> upsertMembers(List<MemberRecord> members) {
        Map<String, MemberRecord> byKey = new HashMap<>();
        members.forEach(m -> byKey.put(m.key(), m));
        List<SalesforceWriteResult> results = new ArrayList<>(write(members.stream().map(SalesforceCampaigns::write).toList()));
        List<MemberRecord> again = new ArrayList<>();
        for (SalesforceWriteResult r : results) {
            if (!r.success() && "INVALID_FIELD_FOR_INSERT_UPDATE".equals(r.failure().code()) && byKey.get(r.write().key()).isNew()) {
                again.add(byKey.get(r.write().key()).statusOnly());
            }
        }
        if (again.isEmpty()) {
            return results;
        }
        Map<String, SalesforceWriteResult> retried = new HashMap<>();
        write(again.stream().map(SalesforceCampaigns::write).toList()).forEach(r -> retried.put(r.write().key(), r));
        results.replaceAll(r -> retried.getOrDefault(r.write().key(), r));
        return results;
    }

    private static SalesforceWrite write(MemberRecord m) {
        return new SalesforceWrite(m.key(), "CampaignMember", MEMBER_KEY, m.fields());
    }

    /** Every result, successes and refusals, in the writer's retry rounds (row locks are retried there). */
    private List<SalesforceWriteResult> write(List<SalesforceWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<SalesforceWriteResult> out = new ArrayList<>();
        writer.write(writes, new SalesforceActivityWriter.Results() {
            @Override
            public void refused(SalesforceWriteResult result) {
                out.add(result);
            }

            @Override
            public void written(List<SalesforceWriteResult> results) {
                out.addAll(results);
            }
        });
        return out;
    }
}
