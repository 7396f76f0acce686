package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;

/** Contact batch read and update (§5): at most 100 inputs, 207 with OBJECT_NOT_FOUND for the missing ones. */
final class HubSpotBatchHandler {
    static final int MAX_INPUTS = 100;
    static final String NOT_FOUND_MESSAGE = "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.";

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;
    private final HubSpotPropertyValidator validator;
    private final Random order;

    HubSpotBatchHandler(HubSpotPortal portal, HubSpotErrors errors, long seed) {
        this.portal = portal;
        this.errors = errors;
        this.validator = new HubSpotPropertyValidator(portal.portalId());
        this.order = new Random(seed ^ 0xBA7C4L);
    }

    EmulatorResponse read(EmulatorRequest request, Matcher path) {
        Instant startedAt = portal.clock().instant();
        JsonNode body = HubSpotJson.body(request.body(), errors);
        JsonNode inputs = inputs(body);
        String idProperty = idProperty(HubSpotJson.text(HubSpotJson.path(body, "idProperty")));
        List<String> properties = new ArrayList<>();
        HubSpotJson.path(body, "properties").forEach(p -> properties.add(HubSpotJson.text(p)));
        List<Map<String, Object>> results = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode input : inputs) {
            String id = HubSpotJson.text(HubSpotJson.path(input, "id"));
            HubSpotContact c = find(id, idProperty);
            if (c == null) {
                missing.add(id);
            } else if (seen.add(c.id())) {
                results.add(HubSpotObjects.contact(c, properties));
            }
        }
        return batchResponse(results, notFound(missing, List.of()), startedAt, 200);
    }

    EmulatorResponse update(EmulatorRequest request, Matcher path) {
        Instant startedAt = portal.clock().instant();
        JsonNode body = HubSpotJson.body(request.body(), errors);
        JsonNode inputs = inputs(body);
        Map<String, Map<String, Object>> definitions = portal.properties();
        List<Map<String, Object>> propertyErrors = new ArrayList<>();
        List<Map<String, String>> changes = new ArrayList<>();
        for (JsonNode input : inputs) {
            if (HubSpotJson.text(HubSpotJson.path(input, "id")) == null || !HubSpotJson.path(input, "properties").isObject()) {
                throw errors.validation("Each input needs id and properties");
            }
            Map<String, String> props = new LinkedHashMap<>();
            HubSpotJson.path(input, "properties").fields().forEachRemaining(e -> props.put(e.getKey(), HubSpotJson.text(e.getValue())));
            propertyErrors.addAll(validator.validate(props, definitions));
            changes.add(HubSpotPropertyValidator.normalize(props, definitions));
        }
        // a bad property value fails the whole request (§5.2)
        if (!propertyErrors.isEmpty()) {
            throw errors.invalidProperties(propertyErrors);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> missingTraceIds = new ArrayList<>();
        int i = 0;
        for (JsonNode input : inputs) {
            String id = HubSpotJson.text(HubSpotJson.path(input, "id"));
            String idProperty = idProperty(HubSpotJson.text(HubSpotJson.path(input, "idProperty")));
            HubSpotContact c = find(id, idProperty);
            Map<String, String> props = changes.get(i++);
            if (c == null) {
                missing.add(id);
                String trace = HubSpotJson.text(HubSpotJson.path(input, "objectWriteTraceId"));
                if (trace != null) {
                    missingTraceIds.add(trace);
                }
                continue;
            }
            HubSpotContact updated = portal.applyUpdate(c.id(), props);
            portal.logUpdate(c.id(), props, CallJournal.caller(request));
            results.add(HubSpotObjects.contact(updated, props.keySet()));
        }
        return batchResponse(results, notFound(missing, missingTraceIds), startedAt, 200);
    }

    private JsonNode inputs(JsonNode body) {
        JsonNode inputs = HubSpotJson.path(body, "inputs");
        if (!inputs.isArray()) {
            throw errors.validation("inputs is required");
        }
        if (inputs.size() > MAX_INPUTS) {
            throw errors.validation("Batch input limit is " + MAX_INPUTS + " inputs, got " + inputs.size());
        }
        return inputs;
    }

    private String idProperty(String idProperty) {
        if (idProperty == null || idProperty.equals("hs_object_id") || idProperty.equals("email")) {
            return idProperty;
        }
        throw errors.validation("idProperty " + idProperty + " is not a unique-value property");
    }

    private HubSpotContact find(String id, String idProperty) {
        if (id == null) {
            return null;
        }
        if ("email".equals(idProperty)) {
            return portal.contactByEmail(id);
        }
        Long numeric = HubSpotPortal.parseId(id);
        return numeric == null ? null : portal.contactById(numeric);
    }

    private static List<Map<String, Object>> notFound(List<String> missing, List<String> traceIds) {
        if (missing.isEmpty()) {
            return List.of();
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("ids", missing);
        if (!traceIds.isEmpty()) {
            context.put("objectWriteTraceId", traceIds);
        }
        return List.of(HubSpotJson.obj("status", "error", "category", "OBJECT_NOT_FOUND", "message", NOT_FOUND_MESSAGE,
                "context", context));
    }

    /** 200 (or {@code okStatus}) when everything worked, 207 with errors[] otherwise (§5.1). */
    EmulatorResponse batchResponse(List<Map<String, Object>> results, List<Map<String, Object>> errorList, Instant startedAt, int okStatus) {
        // results are not in input order on the real service (§5.1): shuffle so callers match by id
        synchronized (order) {
            Collections.shuffle(results, order);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "COMPLETE");
        out.put("results", results);
        if (!errorList.isEmpty()) {
            out.put("numErrors", errorList.size());
            out.put("errors", errorList);
        }
        out.put("startedAt", HubSpotJson.iso(startedAt));
        out.put("completedAt", HubSpotJson.iso(portal.clock().instant()));
        return EmulatorResponse.json(errorList.isEmpty() ? okStatus : 207, out);
    }
}
