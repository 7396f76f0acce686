package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.SkippableSyncException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who was sent which marketing email: the SENT events of the email events API in a time window (hubspot-api.md §2.1,
 * {@code eventType=SENT}, paged by the opaque offset, newest first, so the whole window is read before its end is
 * committed), and an email campaign's name and subject (§2.3).
 */
public class HubSpotEmailSends {
    static final int PAGE = 1000;

    /** One recipient of one email campaign, and when it was sent. */
    public record Send(long campaignId, String email, Instant sentAt) {
    }

    /** An email campaign's name ("Email &lt;id&gt;" when blank) and subject. */
    public record EmailCampaign(long id, String name, String subject) {
    }

    private final HubSpotClient client;

    public HubSpotEmailSends(HubSpotClient client) {
        this.client = client;
    }

    /** SENT events from {@code start} to {@code end} (both inclusive, §2.1); events without a recipient or campaign are skipped. */
    public List<Send> sends(Instant start, Instant end) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("eventType", "SENT");
        query.put("startTimestamp", Long.toString(start.toEpochMilli()));
        query.put("endTimestamp", Long.toString(end.toEpochMilli()));
        List<Send> out = new ArrayList<>();
        for (JsonNode e : events(client, query)) {
            long campaign = e.path("emailCampaignId").asLong(0);
            String recipient = e.path("recipient").asText("").trim().toLowerCase(Locale.ROOT);
            if (campaign != 0 && !recipient.isEmpty()) {
                out.add(new Send(campaign, recipient, Instant.ofEpochMilli(e.path("created").asLong())));
            }
        }
        return out;
    }

    /** Every event the query selects, page after page (1,000 a page, the opaque offset passed with the same parameters, §2.1). */
    static List<JsonNode> events(HubSpotClient client, Map<String, String> query) {
        return pages(client, query, read -> PAGE, read -> false).events();
    }

    /** What the pager keeps of each event: the fields the mapper and the sends read, nothing a chunk does not need. */
    static final HubSpotPageFields EVENT_FIELDS = new HubSpotPageFields("events", HubSpotEmailEventMapper.FIELDS);

    /** The events of a paged read, newest first, and whether it stopped before HubSpot's last page. */
    record Pages(List<JsonNode> events, boolean stopped) {
    }

    /**
     * The one pager of the email events API (§2.1): page after page with the opaque offset and the same parameters,
     * each page's {@code limit} given the events read so far (the limit may change between pages), until the last
     * page or until {@code stop} says the events read so far are enough while more remain.
     */
    static Pages pages(HubSpotClient client, Map<String, String> query, java.util.function.IntUnaryOperator limit,
                       java.util.function.Predicate<List<JsonNode>> stop) {
        List<JsonNode> raw = new ArrayList<>();
        String offset = null;
        do {
            Map<String, String> page = new LinkedHashMap<>(query);
            page.put("limit", Integer.toString(limit.applyAsInt(raw.size())));
            if (offset != null) {
                page.put("offset", offset);
            }
            JsonNode body = client.get("/email/public/v1/events", page, EVENT_FIELDS).body();
            if (!body.path("events").isArray()) {
                throw new SkippableSyncException("MALFORMED_RESPONSE", "HubSpot email events page without an events array", null);
            }
            body.path("events").forEach(raw::add);
            offset = body.path("hasMore").asBoolean(false) ? body.path("offset").asText(null) : null;
            if (offset != null && stop.test(raw)) {
                return new Pages(raw, true);
            }
        } while (offset != null);
        return new Pages(raw, false);
    }

    public EmailCampaign campaign(long id) {
        JsonNode c = client.get("/email/public/v1/campaigns/" + id, Map.of()).body();
        String name = c.path("name").asText("");
        return new EmailCampaign(id, name.isBlank() ? "Email " + id : name, c.path("subject").asText(""));
    }
}
