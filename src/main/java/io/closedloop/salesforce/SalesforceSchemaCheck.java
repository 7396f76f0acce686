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
 * Checks the org against everything Flow 1 writes, from one Composite request of five describes
 * (salesforce-api.md §4, §7): every summary field the mapping writes is updateable, every Marketing_Activity__c field
 * the sink writes is createable and updateable, the event id is an External ID, and the restricted picklists hold
 * every value the sink writes. Each problem is one line naming Object.Field.
 */
public class SalesforceSchemaCheck {
    public static final String DEPLOY_HINT = "deploy the salesforce directory (sf project deploy start)";
    public static final String PERMISSION_HINT = "assign the Closedloop_Integration permission set to the integration user";
    static final List<String> OBJECTS = List.of("Lead", "Contact", "Account", SalesforceNames.MARKETING_ACTIVITY, "Task");
    /** The restricted picklists of Marketing_Activity__c and every value the sink may write into them. */
    static final Map<String, List<String>> PICKLISTS = Map.of(
            SalesforceNames.ACTIVITY_TYPE, Arrays.stream(ActivityType.values()).map(ActivityType::label).toList(),
            SalesforceNames.ACTIVITY_SOURCE, Arrays.stream(EngagementEvent.Source.values()).map(EngagementEvent.Source::label).toList());

    private static final String READ_ONLY = "for the integration user";

    private final SalesforceClient client;
    private final FieldMapping mapping;
    private final boolean tasks;

    public SalesforceSchemaCheck(SalesforceClient client, FieldMapping mapping) {
        this(client, mapping, false);
    }

    public SalesforceSchemaCheck(SalesforceClient client, FieldMapping mapping, boolean tasks) {
        this.client = client;
        this.mapping = mapping;
        this.tasks = tasks;
    }

    /**
     * The problems found, empty when the org is ready. Throws the classified {@link io.closedloop.core.SyncException}
     * when Salesforce cannot answer (unreachable, login refused, limits), since then nothing is known yet.
     */
    public List<String> problems() {
        return problems(describe(), mapping, tasks);
    }

    /** The problems in describes already read (one Composite shared with the other org checks). */
    public List<String> problems(SalesforceDescribes describes) {
        return problems(describes.asMap(), mapping, tasks);
    }

    private Map<String, JsonNode> describe() {
        return SalesforceDescribes.read(client, OBJECTS).asMap();
    }

    /** The problems in these describes (null for an object the org lacks), one line each. */
    static List<String> problems(Map<String, JsonNode> describes, FieldMapping mapping) {
        return problems(describes, mapping, false);
    }

    /** @param tasks whether key-moment Tasks are written, which needs the event id field on Task */
    static List<String> problems(Map<String, JsonNode> describes, FieldMapping mapping, boolean tasks) {
        List<String> problems = new ArrayList<>();
        for (String object : OBJECTS) {
            if (object.equals("Task") && !tasks) {
                continue;
            }
            JsonNode describe = describes.get(object);
            if (describe == null) {
                problems.add(object + " does not exist");
                continue;
            }
            Map<String, JsonNode> fields = new HashMap<>();
            describe.path("fields").forEach(f -> fields.put(f.path("name").asText().toLowerCase(Locale.ROOT), f));
            boolean activity = object.equals(SalesforceNames.MARKETING_ACTIVITY);
            // summaries are updates by Id; activities are upserts, which both create and update; Tasks are created
            List<String> written = activity ? SalesforceActivityRecord.FIELDS
                    : object.equals("Task") ? List.of(SalesforceNames.EVENT_ID) : mapping.written(object);
            boolean created = activity || object.equals("Task");
            for (String name : written) {
                JsonNode field = fields.get(name.toLowerCase(Locale.ROOT));
                String at = object + "." + name;
                if (field == null) {
                    problems.add(at + " does not exist");
                    continue;
                }
                List<String> missing = new ArrayList<>();
                if (created && !field.path("createable").asBoolean()) {
                    missing.add("createable");
                }
                if (!object.equals("Task") && !field.path("updateable").asBoolean()) {
                    missing.add("updateable");
                }
                if (!missing.isEmpty()) {
                    problems.add(at + " is not " + String.join(" or ", missing) + " " + READ_ONLY);
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
        return problems;
    }

    /** One line for health and the log: the problems, then what fixes them. */
    public static String summary(List<String> problems) {
        return "Salesforce schema: " + String.join("; ", problems) + "; " + fix(problems);
    }

    /** What an admin does about these problems. */
    public static String fix(List<String> problems) {
        boolean access = problems.stream().anyMatch(p -> p.endsWith(READ_ONLY));
        return DEPLOY_HINT + (access ? " and " + PERMISSION_HINT : "");
    }
}
