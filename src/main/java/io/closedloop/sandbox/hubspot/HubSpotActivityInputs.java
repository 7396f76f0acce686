package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What notes (§7) and tasks (second-batch-notes.md §4) share: the checks on known properties, hs_timestamp and contact
 * associations, and the search by associated contact.
 */
final class HubSpotActivityInputs {
    private HubSpotActivityInputs() {
    }

    /** Unknown properties and a missing or unreadable hs_timestamp, as HubSpot's property problems. */
    static List<Map<String, Object>> problems(Map<String, String> props, Set<String> known) {
        List<Map<String, Object>> problems = new ArrayList<>();
        props.keySet().stream().filter(k -> !known.contains(k)).forEach(k -> problems.add(problem(k,
                "Property \"" + k + "\" does not exist", "PROPERTY_DOESNT_EXIST")));
        String ts = props.get("hs_timestamp");
        if (ts == null || ts.isEmpty()) {
            problems.add(problem("hs_timestamp", "hs_timestamp is required", "REQUIRED_PROPERTY"));
        } else if (HubSpotJson.parseTime(ts, true) == null) {
            problems.add(problem("hs_timestamp", ts + " is not a valid datetime", "INVALID_DATE"));
        }
        return problems;
    }

    /** The contacts an input associates to, each with the HUBSPOT_DEFINED type {@code typeId}, each existing in the portal. */
    static List<String> contactIds(JsonNode input, String object, int typeId, HubSpotPortal portal, HubSpotErrors errors) {
        List<String> contactIds = new ArrayList<>();
        for (JsonNode a : HubSpotJson.path(input, "associations")) {
            String to = HubSpotJson.text(HubSpotJson.path(HubSpotJson.path(a, "to"), "id"));
            boolean contactType = false;
            for (JsonNode t : HubSpotJson.path(a, "types")) {
                contactType |= "HUBSPOT_DEFINED".equals(HubSpotJson.text(HubSpotJson.path(t, "associationCategory")))
                        && HubSpotJson.path(t, "associationTypeId").asInt() == typeId;
            }
            if (!contactType) {
                throw errors.validation("Unsupported association type for " + object + " " + to + ": use HUBSPOT_DEFINED " + typeId
                        + " (" + object + " to contact)");
            }
            Long id = HubSpotPortal.parseId(to);
            if (id == null || portal.contactById(id) == null) {
                throw errors.validation("Could not find contact " + to + " to associate the " + object + " with");
            }
            contactIds.add(to);
        }
        return contactIds;
    }

    /** A note or task as the portal stores it. */
    record Stored(String id, Map<String, String> properties, List<String> contactIds) {
    }

    /**
     * {@code POST /crm/v3/objects/<notes|tasks>/search}: the CRM search (§4) with the associations pseudo-property
     * {@code associations.contact EQ id} (§4 "Associations pseudo-property"), offset paging and a limit of 200.
     */
    static EmulatorResponse search(JsonNode body, String objects, List<Stored> all, HubSpotErrors errors) {
        String contact = null;
        for (JsonNode group : HubSpotJson.path(body, "filterGroups")) {
            for (JsonNode f : HubSpotJson.path(group, "filters")) {
                String property = HubSpotJson.text(HubSpotJson.path(f, "propertyName"));
                if (!"associations.contact".equals(property) || !"EQ".equals(HubSpotJson.text(HubSpotJson.path(f, "operator")))) {
                    throw errors.validation("This emulator searches " + objects + " by associations.contact EQ only, got " + property);
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
        List<Stored> hits = all.stream().filter(n -> contactId == null || n.contactIds().contains(contactId)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Stored n : hits.subList(Math.min(after, hits.size()), Math.min(after + limit, hits.size()))) {
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

    static Map<String, Object> problem(String name, String message, String code) {
        return HubSpotJson.obj("isValid", false, "message", message, "error", code, "name", name);
    }
}
