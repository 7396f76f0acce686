package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What notes (§7) and tasks (second-batch-notes.md §4) check alike: known properties, hs_timestamp, contact associations. */
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

    static Map<String, Object> problem(String name, String message, String code) {
        return HubSpotJson.obj("isValid", false, "message", message, "error", code, "name", name);
    }
}
