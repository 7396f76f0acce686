package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.regex.Matcher;

/** Legacy email analytics v1: the event log (§2.1), one event (§2.2) and campaigns (§2.3). */
final class HubSpotEmailEventsHandler {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;
    private volatile Duration offsetTtl = Duration.ofMinutes(10);

    HubSpotEmailEventsHandler(HubSpotPortal portal, HubSpotErrors errors) {
        this.portal = portal;
        this.errors = errors;
    }

    /** How long an offset token stays valid; the real lifetime is undocumented beyond "short-lived". */
    void offsetTtl(Duration ttl) {
        this.offsetTtl = ttl;
    }

    EmulatorResponse events(EmulatorRequest request, Matcher path) {
        long start = longParam(request, "startTimestamp", Long.MIN_VALUE);
        long end = longParam(request, "endTimestamp", Long.MAX_VALUE);
        String type = request.param("eventType");
        String recipient = request.param("recipient");
        Long campaignId = request.param("campaignId") == null ? null : longParam(request, "campaignId", 0);
        Long appId = request.param("appId") == null ? null : longParam(request, "appId", 0);
        boolean excludeFiltered = Boolean.parseBoolean(request.param("excludeFilteredEvents"));
        int limit = HubSpotJson.intParam(request.param("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", errors);
        String queryHash = Integer.toHexString(List.of(start, end, String.valueOf(type), String.valueOf(recipient),
                String.valueOf(campaignId), String.valueOf(appId), excludeFiltered).hashCode());

        NavigableMap<HubSpotPortal.EventKey, EmailEvent> from;
        String offset = request.param("offset");
        if (offset != null && !offset.isEmpty()) {
            HubSpotPortal.EventKey after = decodeOffset(offset, queryHash);
            from = portal.events().tailMap(after, false);
        } else {
            from = portal.events().tailMap(new HubSpotPortal.EventKey(end, ""), true);
        }
        List<Map<String, Object>> page = new ArrayList<>();
        HubSpotPortal.EventKey last = null;
        boolean hasMore = false;
        for (Map.Entry<HubSpotPortal.EventKey, EmailEvent> e : from.entrySet()) {
            EmailEvent event = e.getValue();
            if (event.created() < start) {
                break;
            }
            if (!matches(event, type, recipient, campaignId, appId, excludeFiltered)) {
                continue;
            }
            if (page.size() == limit) {
                hasMore = true;
                break;
            }
            page.add(render(event));
            last = e.getKey();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hasMore", hasMore);
        body.put("offset", last == null ? (offset == null ? "" : offset) : encodeOffset(queryHash, last));
        body.put("events", page);
        return EmulatorResponse.json(200, body);
    }

    EmulatorResponse event(EmulatorRequest request, Matcher path) {
        long created = Long.parseLong(path.group(1));
        EmailEvent event = portal.events().get(new HubSpotPortal.EventKey(created, path.group(2)));
        if (event == null) {
            throw errors.notFound("Event " + created + "/" + path.group(2) + " not found");
        }
        return EmulatorResponse.json(200, render(event));
    }

    EmulatorResponse campaign(EmulatorRequest request, Matcher path) {
        long id = Long.parseLong(path.group(1));
        HubSpotPortal.Campaign c = portal.campaign(id);
        if (c == null) {
            throw errors.notFound("Campaign " + id + " not found");
        }
        Map<String, Object> counters = new LinkedHashMap<>();
        for (String k : List.of("sent", "delivered", "open", "processed")) {
            counters.put(k, 0L);
        }
        c.counters().forEach((k, v) -> counters.put(k, v.get()));
        long sent = ((Number) counters.get("sent")).longValue();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("appId", 113);
        body.put("appName", "BatchEmail");
        body.put("contentId", c.contentId());
        body.put("name", c.name());
        body.put("subject", c.subject());
        body.put("subType", "batch");
        body.put("type", "BATCH_EMAIL");
        body.put("numIncluded", sent);
        body.put("numQueued", sent);
        body.put("counters", counters);
        return EmulatorResponse.json(200, body);
    }

    private static boolean matches(EmailEvent e, String type, String recipient, Long campaignId, Long appId, boolean excludeFiltered) {
        if (type != null && !type.equals(e.type())) {
            return false;
        }
        if (recipient != null && !recipient.equalsIgnoreCase(e.recipient())) {
            return false;
        }
        if (campaignId != null && campaignId != e.emailCampaignId()) {
            return false;
        }
        if (appId != null && appId != ((Number) e.extras().getOrDefault("appId", 113)).longValue()) {
            return false;
        }
        return !excludeFiltered || !Boolean.TRUE.equals(e.extras().get("filteredEvent"));
    }

    private long longParam(EmulatorRequest request, String name, long dflt) {
        String raw = request.param(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw errors.validation(name + " must be an integer, got '" + raw + "'");
        }
    }

    private String encodeOffset(String queryHash, HubSpotPortal.EventKey last) {
        return HubSpotJson.base64(String.join("|", "ev1", queryHash, Long.toString(last.created()), last.id(),
                Long.toString(portal.clock().millis())));
    }

    private HubSpotPortal.EventKey decodeOffset(String offset, String queryHash) {
        String raw = HubSpotJson.unbase64(offset);
        String[] parts = raw == null ? new String[0] : raw.split("\\|", -1);
        if (parts.length != 5 || !"ev1".equals(parts[0])) {
            throw errors.validation("Invalid offset: " + offset);
        }
        if (!parts[1].equals(queryHash)) {
            throw errors.validation("The offset does not belong to this query; send the same parameters on every page");
        }
        if (portal.clock().millis() - Long.parseLong(parts[4]) > offsetTtl.toMillis()) {
            throw errors.validation("The offset has expired; restart the query with startTimestamp");
        }
        return new HubSpotPortal.EventKey(Long.parseLong(parts[2]), parts[3]);
    }

    /** One event with the common fields of §2.1, per-type defaults, then whatever the world put in extras. */
    Map<String, Object> render(EmailEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("created", e.created());
        out.put("type", e.type());
        if (e.recipient() != null) {
            out.put("recipient", e.recipient());
        }
        out.put("portalId", portal.portalId());
        out.put("appId", 113);
        out.put("appName", "BatchEmail");
        out.put("emailCampaignId", e.emailCampaignId());
        if (!"SENT".equals(e.type()) && !e.extras().containsKey("sentBy")) {
            EmailEvent sent = portal.sentEventFor(e);
            // without a recorded SENT event, a stable synthetic id keeps the field present and repeatable
            out.put("sentBy", sent != null ? HubSpotJson.obj("id", sent.id(), "created", sent.created())
                    : HubSpotJson.obj("id", UUID.nameUUIDFromBytes((e.emailCampaignId() + "|" + e.recipient()).getBytes()).toString(),
                            "created", e.created()));
        }
        out.putAll(typeDefaults(e));
        out.putAll(e.extras());
        return out;
    }

    private Map<String, Object> typeDefaults(EmailEvent e) {
        int h = Math.floorMod(e.id().hashCode(), 3);
        Map<String, Object> d = new LinkedHashMap<>();
        switch (e.type()) {
            case "CLICK" -> {
                d.put("url", "https://www.example.com/pricing?utm_source=hs_email");
                d.put("referer", "");
                engagement(d, h);
                d.put("linkId", 1L + h);
            }
            case "OPEN" -> {
                d.put("duration", 1_000L * (h + 1));
                engagement(d, h);
            }
            case "SENT" -> {
                HubSpotPortal.Campaign c = portal.campaign(e.emailCampaignId());
                d.put("subject", c == null ? "" : c.subject());
                d.put("from", "Marketing <marketing@example.com>");
                d.put("replyTo", List.of("marketing@example.com"));
                d.put("cc", List.of());
                d.put("bcc", List.of());
            }
            case "DELIVERED" -> {
                d.put("response", "250 2.0.0 OK");
                d.put("smtpId", null);
            }
            case "DEFERRED" -> {
                d.put("response", "421 4.7.0 Try again later");
                d.put("attempt", 1);
            }
            case "DROPPED" -> {
                d.put("dropReason", "PREVIOUSLY_BOUNCED");
                d.put("dropMessage", "The recipient previously bounced.");
            }
            case "BOUNCE" -> {
                d.put("category", "UNKNOWN_USER");
                d.put("response", "550 5.1.1 The email account that you tried to reach does not exist.");
                d.put("status", "5.1.1");
            }
            case "STATUSCHANGE" -> {
                d.put("source", "SOURCE_RECIPIENT");
                d.put("requestedBy", e.recipient());
                d.put("portalSubscriptionStatus", "UNSUBSCRIBED");
                d.put("subscriptions", List.of(HubSpotJson.obj("id", 4_561_234L, "status", "UNSUBSCRIBED")));
                d.put("bounced", false);
            }
            default -> {
                // SPAMREPORT, PROCESSED, PRINT, FORWARD, SUPPRESSED, UNBOUNCE and unknown types carry only the common fields
            }
        }
        return d;
    }

    private static void engagement(Map<String, Object> d, int h) {
        String[][] browsers = {{"Chrome 124", "Chrome", "Google Inc.", "124.0"}, {"Firefox 126", "Firefox", "Mozilla Foundation", "126.0"},
                {"Safari 17", "Safari", "Apple Inc.", "17.4"}};
        String[] b = browsers[h];
        d.put("userAgent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) " + b[1] + "/" + b[3]);
        d.put("browser", HubSpotJson.obj("name", b[0], "family", b[1], "producer", b[2], "producerUrl", "https://www.example.com/",
                "type", "Browser", "url", "https://www.example.com/", "version", List.of(b[3])));
        d.put("location", HubSpotJson.obj("country", "United States", "state", "massachusetts", "city", "boston",
                "latitude", 42.36, "longitude", -71.06));
        d.put("ipAddress", "198.51.100." + (10 + h));
        d.put("deviceType", h == 2 ? "MOBILE" : "COMPUTER");
        d.put("filteredEvent", false);
    }
}
