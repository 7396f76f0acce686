package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorException;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** Notes on the contact timeline (§7): single and batch create, hs_timestamp required, associations kept for assertions. */
final class HubSpotNotesHandler {
    static final int NOTE_TO_CONTACT = 202;
    static final int MAX_BODY_CHARS = 65_536;
    static final Set<String> NOTE_PROPERTIES = Set.of("hs_timestamp", "hs_note_body", "hubspot_owner_id", "hs_attachment_ids");

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;
    private final HubSpotBatchHandler batch;

    HubSpotNotesHandler(HubSpotPortal portal, HubSpotErrors errors, HubSpotBatchHandler batch) {
        this.portal = portal;
        this.errors = errors;
        this.batch = batch;
    }

    /** A note that passed validation and waits to be stored. */
    private record Draft(Map<String, String> properties, List<String> contactIds) {
    }

    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        Draft draft = validate(HubSpotJson.body(request.body(), errors));
        return EmulatorResponse.json(201, store(draft));
    }

    EmulatorResponse batchCreate(EmulatorRequest request, Matcher path) {
        Instant startedAt = portal.clock().instant();
        JsonNode inputs = HubSpotJson.path(HubSpotJson.body(request.body(), errors), "inputs");
        if (!inputs.isArray()) {
            throw errors.validation("inputs is required");
        }
        if (inputs.size() > HubSpotBatchHandler.MAX_INPUTS) {
            throw errors.validation("Batch input limit is " + HubSpotBatchHandler.MAX_INPUTS + " inputs, got " + inputs.size());
        }
        List<Draft> drafts = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (JsonNode input : inputs) {
            String trace = HubSpotJson.text(HubSpotJson.path(input, "objectWriteTraceId"));
            try {
                drafts.add(validate(input));
            } catch (EmulatorException e) {
                // without an objectWriteTraceId one bad input fails the whole request (§7.1)
                if (trace == null) {
                    throw e;
                }
                Map<String, Object> body = readBody(e);
                failures.add(HubSpotJson.obj("status", "error", "category", body.get("category"), "message", body.get("message"),
                        "context", Map.of("objectWriteTraceId", List.of(trace))));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        drafts.forEach(d -> results.add(store(d)));
        return batch.batchResponse(results, failures, startedAt, 201);
    }

    private Draft validate(JsonNode input) {
        Map<String, String> props = new LinkedHashMap<>();
        HubSpotJson.path(input, "properties").fields().forEachRemaining(e -> props.put(e.getKey(), HubSpotJson.text(e.getValue())));
        List<Map<String, Object>> problems = HubSpotActivityInputs.problems(props, NOTE_PROPERTIES);
        String ts = props.get("hs_timestamp");
        String bodyText = props.get("hs_note_body");
        if (bodyText != null && bodyText.length() > MAX_BODY_CHARS) {
            problems.add(problem("hs_note_body", "hs_note_body is longer than " + MAX_BODY_CHARS + " characters", "INVALID_STRING"));
        }
        if (!problems.isEmpty()) {
            throw errors.invalidProperties(problems);
        }
        List<String> contactIds = HubSpotActivityInputs.contactIds(input, "note", NOTE_TO_CONTACT, portal, errors);
        props.put("hs_timestamp", HubSpotJson.iso(HubSpotJson.parseTime(ts, true)));
        return new Draft(props, contactIds);
    }

    /**
     * {@code POST /crm/v3/objects/notes/search}: the CRM search (§4) over notes, with the associations pseudo-property
     * {@code associations.contact EQ id} (§4 "Associations pseudo-property"), offset paging and a limit of 200.
     */
    EmulatorResponse search(EmulatorRequest request, Matcher path) {
        JsonNode body = HubSpotJson.body(request.body(), errors);
        String contact = null;
        for (JsonNode group : HubSpotJson.path(body, "filterGroups")) {
            for (JsonNode f : HubSpotJson.path(group, "filters")) {
                String property = HubSpotJson.text(HubSpotJson.path(f, "propertyName"));
                if (!"associations.contact".equals(property) || !"EQ".equals(HubSpotJson.text(HubSpotJson.path(f, "operator")))) {
                    throw errors.validation("This emulator searches notes by associations.contact EQ only, got " + property);
                }
                contact = HubSpotJson.text(HubSpotJson.path(f, "value"));
            }
        }
        int limit = HubSpotJson.path(body, "limit").asInt(10);
        if (limit < 1 || limit > 200) {
            throw errors.validation("limit must be between 1 and 200");
        }
        int after = Integer.parseInt(HubSpotJson.path(body, "after").asText("0").isBlank() ? "0" : HubSpotJson.path(body, "after").asText("0"));
        Set<String> wanted = new java.util.HashSet<>();
        HubSpotJson.path(body, "properties").forEach(p -> wanted.add(p.asText()));
        String contactId = contact;
        List<Note> hits = portal.notes().stream().filter(n -> contactId == null || n.contactIds().contains(contactId)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Note n : hits.subList(Math.min(after, hits.size()), Math.min(after + limit, hits.size()))) {
            Map<String, String> props = new java.util.TreeMap<>();
            n.properties().forEach((k, v) -> {
                if (wanted.isEmpty() ? Set.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id").contains(k)
                        : wanted.contains(k) || k.equals("hs_object_id")) {
                    props.put(k, v);
                }
            });
            results.add(HubSpotJson.obj("id", n.id(), "properties", props, "createdAt", n.properties().get("hs_createdate"),
                    "updatedAt", n.properties().get("hs_lastmodifieddate"), "archived", false));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", hits.size());
        out.put("results", results);
        if (after + limit < hits.size()) {
            out.put("paging", HubSpotJson.obj("next", HubSpotJson.obj("after", Integer.toString(after + limit))));
        }
        return EmulatorResponse.json(200, out);
    }

    private Map<String, Object> store(Draft draft) {
        String id = portal.nextNoteId();
        String now = HubSpotJson.iso(portal.clock().instant());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("hs_createdate", now);
        props.put("hs_lastmodifieddate", now);
        props.putAll(draft.properties());
        props.put("hs_object_id", id);
        portal.addNote(new Note(id, props, draft.contactIds()));
        return HubSpotJson.obj("id", id, "properties", new java.util.TreeMap<>(props), "createdAt", now, "updatedAt", now,
                "archived", false);
    }

    private Map<String, Object> problem(String name, String message, String code) {
        return HubSpotActivityInputs.problem(name, message, code);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readBody(EmulatorException e) {
        try {
            return EmulatorResponse.JSON.readValue(e.response().body(), Map.class);
        } catch (java.io.IOException io) {
            throw new IllegalStateException(io);
        }
    }
}
