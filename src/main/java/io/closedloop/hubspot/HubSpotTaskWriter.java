package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.SkippableSyncException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates HubSpot tasks on a contact through the CRM tasks API (second-batch-notes.md §4; HubSpot "Activities | Tasks",
 * developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/guide). The task-to-contact association type is
 * read once from the portal ({@code GET /crm/v4/associations/tasks/contacts/labels}) rather than assumed.
 */
public class HubSpotTaskWriter {
    static final String LABELS = "/crm/v4/associations/tasks/contacts/labels";
    static final String OWNER = "hubspot_owner_id";

    /** A task to create: who it is about, what it says, when it is due. */
    public record Task(String contactId, String ownerId, String subject, String body, Instant due) {
    }

    private final HubSpotClient client;
    private volatile Integer associationTypeId;

    public HubSpotTaskWriter(HubSpotClient client) {
        this.client = client;
    }

    /** Owner ids of the contacts (hubspot_owner_id), 100 ids per batch read; contacts without an owner are absent. */
    public Map<String, String> owners(List<String> contactIds) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int from = 0; from < contactIds.size(); from += HubSpotContactWriter.BATCH) {
            List<Map<String, String>> inputs = contactIds.subList(from, Math.min(contactIds.size(), from + HubSpotContactWriter.BATCH)).stream()
                    .map(id -> Map.of("id", id)).toList();
            JsonNode body = client.post("/crm/v3/objects/contacts/batch/read", Map.of("inputs", inputs, "properties", List.of(OWNER),
                    "propertiesWithHistory", List.of())).body();
            for (JsonNode r : body.path("results")) {
                String owner = r.path("properties").path(OWNER).asText("");
                if (!owner.isBlank()) {
                    out.put(r.path("id").asText(), owner);
                }
            }
        }
        return out;
    }

    /** Creates one task associated with its contact; returns HubSpot's task id. */
    public String create(Task task) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // hs_timestamp is required: the task's due date (§4)
        properties.put("hs_timestamp", Long.toString(task.due().toEpochMilli()));
        properties.put("hs_task_subject", task.subject());
        properties.put("hs_task_body", task.body());
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", "HIGH");
        properties.put("hs_task_type", "TODO");
        if (task.ownerId() != null) {
            properties.put(OWNER, task.ownerId());
        }
        Map<String, Object> body = Map.of("properties", properties, "associations", List.of(Map.of("to", Map.of("id", task.contactId()),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", associationTypeId())))));
        String id = client.post("/crm/v3/objects/tasks", body).body().path("id").asText("");
        if (id.isBlank()) {
            throw new SkippableSyncException("MALFORMED_RESPONSE", "HubSpot task create answer without an id", null);
        }
        return id;
    }

    /** The portal's HUBSPOT_DEFINED task-to-contact type (the unlabeled default), read once. */
    int associationTypeId() {
        Integer known = associationTypeId;
        if (known != null) {
            return known;
        }
        List<Integer> unlabeled = new ArrayList<>();
        List<Integer> any = new ArrayList<>();
        for (JsonNode label : client.get(LABELS, Map.of()).body().path("results")) {
            if ("HUBSPOT_DEFINED".equals(label.path("category").asText()) && label.path("typeId").canConvertToInt()) {
                any.add(label.path("typeId").asInt());
                if (label.path("label").isNull() || label.path("label").asText("").isBlank()) {
                    unlabeled.add(label.path("typeId").asInt());
                }
            }
        }
        List<Integer> pick = unlabeled.isEmpty() ? any : unlabeled;
        if (pick.isEmpty()) {
            throw new SkippableSyncException("NO_ASSOCIATION_TYPE", "HubSpot lists no HUBSPOT_DEFINED task-to-contact association type", null);
        }
        associationTypeId = pick.get(0);
        return pick.get(0);
    }
}
