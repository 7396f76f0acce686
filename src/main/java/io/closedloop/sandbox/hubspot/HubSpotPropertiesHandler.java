package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** Contact property definitions and groups (§6): 201 on create, 409 on a duplicate, 404 for an unknown name. */
final class HubSpotPropertiesHandler {
    private static final Set<String> TYPES = Set.of("bool", "date", "datetime", "enumeration", "number", "phone_number", "string");
    private static final Set<String> FIELD_TYPES = Set.of("booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html",
            "number", "phonenumber", "radio", "select", "text", "textarea");

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;

    HubSpotPropertiesHandler(HubSpotPortal portal, HubSpotErrors errors) {
        this.portal = portal;
        this.errors = errors;
    }

    EmulatorResponse list(EmulatorRequest request, Matcher path) {
        return EmulatorResponse.json(200, Map.of("results", new ArrayList<>(portal.properties().values())));
    }

    EmulatorResponse read(EmulatorRequest request, Matcher path) {
        Map<String, Object> p = portal.property(path.group(1));
        if (p == null) {
            throw errors.notFound("Unable to find property " + path.group(1) + " on object type contacts");
        }
        return EmulatorResponse.json(200, p);
    }

    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        JsonNode body = HubSpotJson.body(request.body(), errors);
        String name = required(body, "name");
        String label = required(body, "label");
        String group = required(body, "groupName");
        String type = required(body, "type");
        String fieldType = required(body, "fieldType");
        if (!TYPES.contains(type)) {
            throw errors.validation("Invalid type " + type + "; expected one of " + new java.util.TreeSet<>(TYPES));
        }
        if (!FIELD_TYPES.contains(fieldType)) {
            throw errors.validation("Invalid fieldType " + fieldType + "; expected one of " + new java.util.TreeSet<>(FIELD_TYPES));
        }
        List<Map<String, Object>> options = new ArrayList<>();
        for (JsonNode o : HubSpotJson.path(body, "options")) {
            String value = HubSpotJson.text(HubSpotJson.path(o, "value"));
            String optionLabel = HubSpotJson.text(HubSpotJson.path(o, "label"));
            if (value == null || optionLabel == null) {
                throw errors.validation("Each option needs label and value");
            }
            options.add(HubSpotJson.obj("label", optionLabel, "value", value, "displayOrder",
                    HubSpotJson.path(o, "displayOrder").asInt(options.size()), "hidden", HubSpotJson.path(o, "hidden").asBoolean(false)));
        }
        if ("enumeration".equals(type) && options.isEmpty()) {
            throw errors.validation("options are required for an enumeration property");
        }
        Map<String, Object> def = HubSpotContactProperties.definition(name, label, type, fieldType, group,
                HubSpotJson.path(body, "description").asText(""), options, HubSpotJson.path(body, "displayOrder").asInt(-1),
                HubSpotJson.path(body, "hidden").asBoolean(false), HubSpotJson.path(body, "formField").asBoolean(false),
                HubSpotJson.path(body, "hasUniqueValue").asBoolean(false), portal.clock().instant());
        if (!portal.addProperty(def)) {
            // the category name for 409 is UNCONFIRMED (§11.3)
            throw errors.fail(409, "CONFLICT", "A property named '" + name + "' already exists.");
        }
        return EmulatorResponse.json(201, def);
    }

    /** PATCH (§6): partial update; the given options replace the old list. HubSpot-defined properties are read-only. */
    EmulatorResponse update(EmulatorRequest request, Matcher path) {
        Map<String, Object> p = portal.property(path.group(1));
        if (p == null) {
            throw errors.notFound("Unable to find property " + path.group(1) + " on object type contacts");
        }
        if (Boolean.TRUE.equals(p.get("hubspotDefined"))) {
            throw errors.validation("Property " + path.group(1) + " is HubSpot-defined and cannot be changed");
        }
        JsonNode body = HubSpotJson.body(request.body(), errors);
        for (String field : List.of("label", "description", "groupName")) {
            String v = HubSpotJson.text(HubSpotJson.path(body, field));
            if (v != null) {
                p.put(field, v);
            }
        }
        if (HubSpotJson.path(body, "options").isArray()) {
            List<Map<String, Object>> options = new ArrayList<>();
            for (JsonNode o : HubSpotJson.path(body, "options")) {
                String value = HubSpotJson.text(HubSpotJson.path(o, "value"));
                String optionLabel = HubSpotJson.text(HubSpotJson.path(o, "label"));
                if (value == null || optionLabel == null) {
                    throw errors.validation("Each option needs label and value");
                }
                options.add(HubSpotJson.obj("label", optionLabel, "value", value, "displayOrder",
                        HubSpotJson.path(o, "displayOrder").asInt(options.size()), "hidden", HubSpotJson.path(o, "hidden").asBoolean(false)));
            }
            p.put("options", options);
        }
        p.put("updatedAt", HubSpotJson.iso(portal.clock().instant()));
        portal.replaceProperty(p);
        return EmulatorResponse.json(200, p);
    }

    EmulatorResponse groups(EmulatorRequest request, Matcher path) {
        return EmulatorResponse.json(200, Map.of("results", portal.propertyGroups()));
    }

    EmulatorResponse createGroup(EmulatorRequest request, Matcher path) {
        JsonNode body = HubSpotJson.body(request.body(), errors);
        Map<String, Object> group = HubSpotContactProperties.group(required(body, "name"), required(body, "label"),
                HubSpotJson.path(body, "displayOrder").asInt(-1));
        if (!portal.addPropertyGroup(group)) {
            throw errors.fail(409, "CONFLICT", "A property group named '" + group.get("name") + "' already exists.");
        }
        return EmulatorResponse.json(201, group);
    }

    private String required(JsonNode body, String field) {
        String value = HubSpotJson.text(HubSpotJson.path(body, field));
        if (value == null || value.isBlank()) {
            throw errors.validation(field + " is required");
        }
        return value;
    }
}
