package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Tasks (second-batch-notes.md §4; HubSpot "Activities | Tasks", developers.hubspot.com/docs/api-reference/latest/crm/
 * activities/tasks/guide): {@code POST /crm/v3/objects/tasks} with hs_timestamp required, the documented status, priority
 * and type values, and associations to contacts; and {@code GET /crm/v4/associations/tasks/contacts/labels}, which names
 * the task-to-contact type (§4 says to read it rather than hard-code it; the answer's shape is the v4 labels schema:
 * results of {category, typeId, label}).
 */
final class HubSpotTasksHandler {
    /** The portal's unlabeled HUBSPOT_DEFINED task-to-contact type; commonly 204 (§4, UNCONFIRMED), so the client reads it. */
    static final int TASK_TO_CONTACT = 204;
    static final Set<String> TASK_PROPERTIES = Set.of("hs_timestamp", "hs_task_subject", "hs_task_body", "hs_task_status",
            "hs_task_priority", "hs_task_type", "hubspot_owner_id");
    static final Map<String, Set<String>> ENUMS = Map.of("hs_task_status", Set.of("NOT_STARTED", "COMPLETED"),
            "hs_task_priority", Set.of("LOW", "MEDIUM", "HIGH"), "hs_task_type", Set.of("EMAIL", "CALL", "TODO"));

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;

    HubSpotTasksHandler(HubSpotPortal portal, HubSpotErrors errors) {
        this.portal = portal;
        this.errors = errors;
    }

    EmulatorResponse labels(EmulatorRequest request, Matcher path) {
        Map<String, Object> unlabeled = new LinkedHashMap<>();
        unlabeled.put("category", "HUBSPOT_DEFINED");
        unlabeled.put("typeId", TASK_TO_CONTACT);
        unlabeled.put("label", null);
        return EmulatorResponse.json(200, HubSpotJson.obj("results", List.of(unlabeled)));
    }

    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        JsonNode input = HubSpotJson.body(request.body(), errors);
        Map<String, String> props = new LinkedHashMap<>();
        HubSpotJson.path(input, "properties").fields().forEachRemaining(e -> props.put(e.getKey(), HubSpotJson.text(e.getValue())));
        List<Map<String, Object>> problems = HubSpotActivityInputs.problems(props, TASK_PROPERTIES);
        String ts = props.get("hs_timestamp");
        ENUMS.forEach((name, allowed) -> {
            String v = props.get(name);
            if (v != null && !allowed.contains(v)) {
                problems.add(HubSpotActivityInputs.problem(name, v + " was not one of the allowed options: " + allowed, "INVALID_OPTION"));
            }
        });
        if (!problems.isEmpty()) {
            throw errors.invalidProperties(problems);
        }
        List<String> contactIds = HubSpotActivityInputs.contactIds(input, "task", TASK_TO_CONTACT, portal, errors);
        props.put("hs_timestamp", HubSpotJson.iso(HubSpotJson.parseTime(ts, true)));
        String id = portal.nextTaskId();
        String now = HubSpotJson.iso(portal.clock().instant());
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("hs_createdate", now);
        stored.put("hs_lastmodifieddate", now);
        stored.putAll(props);
        stored.put("hs_object_id", id);
        portal.addTask(new Task(id, stored, contactIds));
        return EmulatorResponse.json(201, HubSpotJson.obj("id", id, "properties", new java.util.TreeMap<>(stored), "createdAt", now,
                "updatedAt", now, "archived", false));
    }
}
