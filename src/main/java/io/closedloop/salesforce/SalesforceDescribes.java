package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.closedloop.core.RetriableSyncException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The describes of the objects Closedloop reads and writes, in one Composite request (salesforce-api.md §4, §7), shared
 * by every check that looks at the org: the schema check of Flow 1, the org profile of the feedback rules, and later
 * checks. An object the org does not have is absent (its describe answers 404).
 */
public final class SalesforceDescribes {
    /** Every object any check looks at; one Composite takes up to 25 subrequests. */
    public static final List<String> OBJECTS = List.of("Lead", "Contact", "Account", SalesforceNames.MARKETING_ACTIVITY, "Task",
            "Opportunity", "OpportunityContactRole", "Campaign", "CampaignMember", "User");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> byObject;

    public SalesforceDescribes(Map<String, JsonNode> byObject) {
        this.byObject = Collections.unmodifiableMap(new LinkedHashMap<>(byObject));
    }

    /** One Composite call of the describes of {@link #OBJECTS}. */
    public static SalesforceDescribes read(SalesforceClient client) {
        return read(client, OBJECTS);
    }

    public static SalesforceDescribes read(SalesforceClient client, List<String> objects) {
        ObjectNode root = JSON.createObjectNode();
        root.put("allOrNone", false);
        ArrayNode subrequests = root.putArray("compositeRequest");
        // Composite takes every sObject resource, describe included (salesforce-api.md [COMPOSITE])
        objects.forEach(o -> subrequests.addObject().put("method", "GET").put("referenceId", o.replace("_", ""))
                .put("url", client.dataPath() + "/sobjects/" + o + "/describe"));
        Map<String, JsonNode> byRef = new HashMap<>();
        client.composite(root.toString()).path("compositeResponse").forEach(s -> byRef.put(s.path("referenceId").asText(), s));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String object : objects) {
            JsonNode sub = byRef.get(object.replace("_", ""));
            if (sub == null) {
                throw new RetriableSyncException("MISSING_SUBRESPONSE", "Salesforce returned no describe of " + object, null);
            }
            int status = sub.path("httpStatusCode").asInt();
            if (status == 404) {
                continue;
            }
            if (status != 200) {
                throw SalesforceErrorClassifier.classify(status, sub.path("body").toString()).toException();
            }
            out.put(object, sub.path("body"));
        }
        return new SalesforceDescribes(out);
    }

    /** The describe of an object, or null when the org lacks it. */
    public JsonNode object(String name) {
        return byObject.get(name);
    }

    public Map<String, JsonNode> asMap() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        OBJECTS.forEach(o -> out.put(o, byObject.get(o)));
        byObject.forEach(out::putIfAbsent);
        return out;
    }

    /** A field of an object by name (case-insensitive, as Salesforce treats names). */
    public Optional<JsonNode> field(String object, String field) {
        JsonNode describe = byObject.get(object);
        if (describe == null) {
            return Optional.empty();
        }
        for (JsonNode f : describe.path("fields")) {
            if (f.path("name").asText().toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The active values of a picklist field (describe {@code picklistValues[] {value, active}}), in the org's order. */
    public List<String> activeValues(String object, String field) {
        List<String> values = new ArrayList<>();
        field(object, field).ifPresent(f -> f.path("picklistValues").forEach(v -> {
            if (v.path("active").asBoolean(true)) {
                values.add(v.path("value").asText());
            }
        }));
        return values;
    }

    /** The picklist value flagged {@code defaultValue}, or null. */
    public String defaultValue(String object, String field) {
        return field(object, field).map(f -> {
            for (JsonNode v : f.path("picklistValues")) {
                if (v.path("defaultValue").asBoolean(false)) {
                    return v.path("value").asText();
                }
            }
            return null;
        }).orElse(null);
    }
}
