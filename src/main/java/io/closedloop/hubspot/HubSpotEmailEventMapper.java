package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one event of {@code GET /email/public/v1/events} (hubspot-api.md §2.1) to the canonical event.
 * OPEN, CLICK, BOUNCE, unsubscribes (STATUSCHANGE) and SPAMREPORT are written; other types are only counted.
 */
public final class HubSpotEmailEventMapper {
    private HubSpotEmailEventMapper() {
    }

    /**
     * Every field of an event that {@link #map}, the reader (type, created, campaign) and the sends
     * ({@link HubSpotEmailSends}) read; the pager keeps only these of each event ({@link HubSpotPageFields}).
     */
    static final Set<String> FIELDS = Set.of("id", "created", "type", "recipient", "emailCampaignId", "url", "deviceType", "duration",
            "category", "status", "response", "portalSubscriptionStatus", "source", "filteredEvent", "location", "subscriptions");

    /** Empty for types that are counted but not written (SENT, DELIVERED, DEFERRED, ...). */
    public static Optional<EngagementEvent> map(JsonNode event, Map<Long, String> campaignNames) {
        String type = event.path("type").asText("");
        ActivityType activity = switch (type) {
            case "OPEN" -> ActivityType.EMAIL_OPEN;
            case "CLICK" -> ActivityType.EMAIL_CLICK;
            case "BOUNCE" -> ActivityType.EMAIL_BOUNCE;
            case "SPAMREPORT" -> ActivityType.EMAIL_SPAM_REPORT;
            case "STATUSCHANGE" -> isUnsubscribe(event) ? ActivityType.EMAIL_UNSUBSCRIBE : null;
            default -> null;
        };
        if (activity == null) {
            return Optional.empty();
        }
        String id = event.path("id").asText(null);
        if (id == null || !event.path("created").canConvertToLong()) {
            throw new IllegalArgumentException("email event without id or created");
        }
        long created = event.path("created").asLong();
        long campaignId = event.path("emailCampaignId").asLong(0);
        String campaign = campaignNames.get(campaignId);
        Map<String, String> details = new LinkedHashMap<>();
        copy(event, details, "deviceType", "duration", "category", "status", "response", "portalSubscriptionStatus", "source");
        if (event.path("filteredEvent").asBoolean(false)) {
            details.put("filteredEvent", "true");
        }
        JsonNode location = event.path("location");
        if (location.isObject()) {
            String where = String.join(", ", nonBlank(location.path("city").asText(""), location.path("state").asText(""),
                    location.path("country").asText("")));
            if (!where.isBlank()) {
                details.put("location", where);
            }
        }
        if (campaignId != 0) {
            details.put("emailCampaignId", Long.toString(campaignId));
        }
        // (id, created) identifies an email event (§2.1)
        return Optional.of(new EngagementEvent(EngagementEvent.idOf("email", id, Long.toString(created)),
                EngagementEvent.Source.EMAIL, activity, Instant.ofEpochMilli(created), event.path("recipient").asText(null),
                null, campaign, textOrNull(event, "url"), campaign, details));
    }

    private static boolean isUnsubscribe(JsonNode event) {
        String status = event.path("portalSubscriptionStatus").asText("");
        if ("UNSUBSCRIBED".equals(status)) {
            return true;
        }
        for (JsonNode s : event.path("subscriptions")) {
            if ("UNSUBSCRIBED".equals(s.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void copy(JsonNode event, Map<String, String> details, String... names) {
        for (String name : names) {
            JsonNode v = event.get(name);
            if (v != null && !v.isNull() && !v.isContainerNode() && !v.asText().isBlank()) {
                details.put(name, v.asText());
            }
        }
    }

    private static String[] nonBlank(String... values) {
        return java.util.Arrays.stream(values).filter(v -> !v.isBlank()).toArray(String[]::new);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
