package io.closedloop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parked form of an event: JSON that replay turns back into the same event. */
public final class EngagementEventCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngagementEventCodec() {
    }

    public static String toJson(EngagementEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("source", e.source().name());
        n.put("type", e.type().name());
        n.put("occurredAt", e.occurredAt().toString());
        n.put("email", e.email());
        n.put("hubspotContactId", e.hubspotContactId());
        n.put("assetName", e.assetName());
        n.put("url", e.url());
        n.put("campaign", e.campaign());
        ObjectNode details = n.putObject("details");
        e.details().forEach(details::put);
        return n.toString();
    }

    public static EngagementEvent fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            Map<String, String> details = new LinkedHashMap<>();
            n.path("details").fields().forEachRemaining(f -> details.put(f.getKey(), f.getValue().asText()));
            return new EngagementEvent(n.path("id").asText(), EngagementEvent.Source.valueOf(n.path("source").asText()),
                    ActivityType.valueOf(n.path("type").asText()), Instant.parse(n.path("occurredAt").asText()),
                    text(n, "email"), text(n, "hubspotContactId"), text(n, "assetName"), text(n, "url"), text(n, "campaign"), details);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a parked engagement event: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
