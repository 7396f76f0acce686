package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.FieldMapping;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the org against everything the daemon writes and reads, from one Composite request of describes
 * (salesforce-api.md §4, §7): every field it writes exists and is createable/updateable for the integration user
 * (field describe {@code createable}/{@code updateable}), every object it writes is createable/updateable (object
 * describe), the event id is an External ID, the restricted picklists hold every value the sink writes, and the
 * objects it only reads are visible. Each problem is one line naming Object.Field (or the object) and what is missing.
 */
public class SalesforceSchemaCheck {
    public static final String DEPLOY_HINT = "deploy the salesforce directory (sf project deploy start)";
    public static final String PERMISSION_HINT = "assign the Closedloop_Integration permission set to the integration user";
    /** Objects whose fields or records the daemon writes. */
    static final List<String> WRITTEN = List.of("Lead", "Contact", "Account", SalesforceNames.MARKETING_ACTIVITY, "Task");
    /** Objects Flow 2, the SLA watch and attribution only read. */
    static final List<String> READ = List.of("Opportunity", "OpportunityContactRole", "Campaign", "CampaignMember", "User");
    static final List<String> OBJECTS = java.util.stream.Stream.concat(WRITTEN.stream(), READ.stream()).toList();
    /** The Lead fields a created Lead gets (SalesforceLeadCreator.newLead). */
    static final List<String> LEAD_CREATE_FIELDS = List.of("FirstName", "LastName", "Company", "Email");
    /** The Task fields key-moment and SLA Tasks are created with (SalesforceKeyMomentTasks, SalesforceSlaTasks). */
    static final List<String> TASK_FIELDS = List.of("WhoId", "WhatId", "OwnerId", "Subject", "ActivityDate", "Status", "Priority",
            "TaskSubtype", "Description", SalesforceNames.EVENT_ID);
    /** The Lead fields Flow 2 reads beyond the standard ones. */
    static final List<String> LEAD_READ_FIELDS = List.of(SalesforceNames.REJECTION_REASON, SalesforceNames.REJECTION_DETAIL);
    /** The fields Flow 2 updates on Lead and Contact beyond the field mapping (the SQL moment). */
    static final List<String> FLOW_2_UPDATE_FIELDS = List.of(SalesforceNames.SQL_AT);
    /** The restricted picklists of Marketing_Activity__c and every value the sink may write into them. */
    static final Map<String, List<String>> PICKLISTS = Map.of(
            SalesforceNames.ACTIVITY_TYPE, Arrays.stream(ActivityType.values()).map(ActivityType::label).toList(),
            SalesforceNames.ACTIVITY_SOURCE, Arrays.stream(EngagementEvent.Source.values()).map(EngagementEvent.Source::label).toList());

    private static final String FOR_USER = "for the integration user";

    /**
     * What the daemon does with its settings, which decides what it needs.
     *
     * @param keyMomentTasks Flow 1 creates key-moment Tasks
     * @param createLeads Flow 1 creates a Lead for an unmatched MQL
     * @param otherFlows also check what Flow 2, the SLA watch and attribution need (validate), not only Flow 1 (the gate)
     * @param campaigns also check what the campaign sync writes (with otherFlows, whose describes hold Campaign)
     */
    public record Needs(boolean keyMomentTasks, boolean createLeads, boolean otherFlows, boolean campaigns) {
        public static final Needs FLOW_1 = new Needs(false, false, false);

        /** @param campaigns the campaign sync runs ({@code CLOSEDLOOP_CAMPAIGN_SYNC}): Campaigns and members are written */
        public Needs(boolean keyMomentTasks, boolean createLeads, boolean otherFlows) {
            this(keyMomentTasks, createLeads, otherFlows, false);
        }
    }

    private final SalesforceClient client;
    private final FieldMapping mapping;
    private final Needs needs;

    public SalesforceSchemaCheck(SalesforceClient client, FieldMapping mapping) {
        this(client, mapping, Needs.FLOW_1);
    }

    public SalesforceSchemaCheck(SalesforceClient client, FieldMapping mapping, boolean tasks) {
        this(client, mapping, new Needs(tasks, false, false));
    }

    public SalesforceSchemaCheck(SalesforceClient client, FieldMapping mapping, Needs needs) {
        this.client = client;
        this.mapping = mapping;
        this.needs = needs;
    }

    /**
     * The problems found, empty when the org is ready. Throws the classified {@link io.closedloop.core.SyncException}
     * when Salesforce cannot answer (unreachable, login refused, limits), since then nothing is known yet.
     */
    public List<String> problems() {
        return problems(describe(), mapping, needs);
    }

    /** The problems in describes already read (one Composite shared with the other org checks). */
    public List<String> problems(SalesforceDescribes describes) {
        return problems(describes.asMap(), mapping, needs);
    }

    /** One Composite call; an object the org does not have, or the user cannot see, maps to null (404). */
    private Map<String, JsonNode> describe() {
        return SalesforceDescribes.read(client, needs.otherFlows() ? OBJECTS : WRITTEN).asMap();
    }

    /** The problems in these describes (null for an object the org lacks), one line each. */
    static List<String> problems(Map<String, JsonNode> describes, FieldMapping mapping) {
        return problems(describes, mapping, Needs.FLOW_1);
    }

    /** @param tasks whether key-moment Tasks are written, which needs the event id field on Task */
    static List<String> problems(Map<String, JsonNode> describes, FieldMapping mapping, boolean tasks) {
        return problems(describes, mapping, new Needs(tasks, false, false));
    }

    static List<String> problems(Map<String, JsonNode> describes, FieldMapping mapping, Needs needs) {
        List<String> problems = new ArrayList<>();
        for (String object : needs.otherFlows() ? OBJECTS : WRITTEN) {
            boolean task = object.equals("Task");
            // Tasks: key moments (Flow 1) or the SLA watch's escalations
            if (task && !needs.keyMomentTasks() && !needs.otherFlows()) {
                continue;
            }
            JsonNode describe = describes.get(object);
            if (describe == null) {
                problems.add(object + " does not exist or the integration user cannot read it");
                continue;
            }
            Map<String, JsonNode> fields = new HashMap<>();
            describe.path("fields").forEach(f -> fields.put(f.path("name").asText().toLowerCase(Locale.ROOT), f));
            boolean activity = object.equals(SalesforceNames.MARKETING_ACTIVITY);
            boolean lead = object.equals("Lead");
            // summaries are updates by Id; activities are upserts, which both create and update; Tasks are created
            List<String> updated = activity ? SalesforceActivityRecord.FIELDS : READ.contains(object) || task ? List.of()
                    : mapping.written(object);
            if (needs.otherFlows() && (lead || object.equals("Contact"))) {
                updated = java.util.stream.Stream.concat(updated.stream(), FLOW_2_UPDATE_FIELDS.stream()).toList();
            }
            List<String> created = activity ? SalesforceActivityRecord.FIELDS : task ? TASK_FIELDS
                    : lead && needs.createLeads() ? LEAD_CREATE_FIELDS : List.of();
            List<String> read = lead && needs.otherFlows() ? LEAD_READ_FIELDS : List.of();
            List<String> objectMissing = new ArrayList<>();
            if (!created.isEmpty() && !describe.path("createable").asBoolean()) {
                objectMissing.add("createable");
            }
            if (!updated.isEmpty() && !describe.path("updateable").asBoolean()) {
                objectMissing.add("updateable");
            }
            if (!objectMissing.isEmpty()) {
                problems.add(object + " (object) is not " + String.join(" or ", objectMissing) + " " + FOR_USER);
            }
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(created);
            names.addAll(updated);
            names.addAll(read);
            for (String name : names) {
                JsonNode field = fields.get(name.toLowerCase(Locale.ROOT));
                String at = object + "." + name;
                if (field == null) {
                    // describe leaves out a field the user has no field permission for, exactly like a missing one
                    problems.add(at + " does not exist or is not visible " + FOR_USER);
                    continue;
                }
                List<String> missing = new ArrayList<>();
                if (created.contains(name) && !field.path("createable").asBoolean()) {
                    missing.add("createable");
                }
                if (updated.contains(name) && !field.path("updateable").asBoolean()) {
                    missing.add("updateable");
                }
                if (!missing.isEmpty()) {
                    problems.add(at + " is not " + String.join(" or ", missing) + " " + FOR_USER);
                }
                if (activity && name.equals(SalesforceNames.EVENT_ID) && !field.path("externalId").asBoolean()) {
                    problems.add(at + " is not an External ID, so activities cannot be upserted by it");
                }
                if (activity && PICKLISTS.containsKey(name) && field.path("restrictedPicklist").asBoolean()) {
                    Set<String> active = new HashSet<>();
                    field.path("picklistValues").forEach(v -> {
                        if (v.path("active").asBoolean(true)) {
                            active.add(v.path("value").asText());
                        }
                    });
                    List<String> absent = PICKLISTS.get(name).stream().filter(v -> !active.contains(v)).toList();
                    if (!absent.isEmpty()) {
                        problems.add(at + " restricted picklist lacks " + absent.stream().map(v -> "'" + v + "'")
                                .collect(Collectors.joining(", ")));
                    }
                }
            }
        }
        if (needs.campaigns()) {
            problems.addAll(campaignProblems(describes));
        }
        return problems;
    }

    /** The campaign sync upserts Campaigns and CampaignMembers by the key fields shipped in salesforce/ (§3.3, §7.5). */
    static List<String> campaignProblems(Map<String, JsonNode> describes) {
        List<String> problems = new ArrayList<>();
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("Campaign", SalesforceCampaigns.CAMPAIGN_KEY);
        keys.put("CampaignMember", SalesforceCampaigns.MEMBER_KEY);
        keys.forEach((object, key) -> {
            JsonNode describe = describes.get(object);
            if (describe == null) {
                problems.add(object + " does not exist or the integration user cannot read it");
                return;
            }
            if (!describe.path("createable").asBoolean() || !describe.path("updateable").asBoolean()) {
                problems.add(object + " (object) is not createable and updateable " + FOR_USER);
            }
            JsonNode field = null;
            for (JsonNode f : describe.path("fields")) {
                if (f.path("name").asText().equalsIgnoreCase(key)) {
                    field = f;
                }
            }
            if (field == null) {
                problems.add(object + "." + key + " does not exist or is not visible " + FOR_USER);
            } else if (!field.path("externalId").asBoolean()) {
                problems.add(object + "." + key + " is not an External ID, so " + object + " records cannot be upserted by it");
            } else if (!field.path("createable").asBoolean() || !field.path("updateable").asBoolean()) {
                problems.add(object + "." + key + " is not createable and updateable " + FOR_USER);
            }
        });
        return problems;
    }

    /** One line for health and the log: the problems, then what fixes them. */
    public static String summary(List<String> problems) {
        return "Salesforce schema: " + String.join("; ", problems) + "; " + fix(problems);
    }

    /** What an admin does about these problems. */
    public static String fix(List<String> problems) {
        boolean access = problems.stream().anyMatch(p -> p.contains(FOR_USER));
        return DEPLOY_HINT + (access ? " and " + PERMISSION_HINT : "");
    }
}
