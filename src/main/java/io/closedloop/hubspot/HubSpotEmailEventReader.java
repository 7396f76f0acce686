package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads marketing email events (hubspot-api.md §2.1) window by window: from the watermark (less a small
 * overlap) to a little before now, all pages of 1,000 straight through, since the offset token is short-lived
 * and events come newest first. The window ends the settle time before now, widened by HubSpot's clock offset: events
 * carry HubSpot's time, the window our own. Once per sweep period a sweep re-reads the sweep depth for late-indexed
 * events; the ledger makes the re-read free in Salesforce calls.
 */
public class HubSpotEmailEventReader implements PolledSource {
    static final int PAGE = HubSpotEmailSends.PAGE;

    /** Window settings: overlap at the start, settle time before now, and the sweep (how often, how far back). */
    public record Window(StartFrom startFrom, Duration overlap, Duration settle, Duration sweepPeriod, Duration sweepDepth) {
        public static Window defaults() {
            // an event indexed up to settle + overlap late is still read by a later poll, whatever the poll interval
            // (the sweep takes anything later); of the two, only the settle time adds to every event's latency, and
            // only the overlap costs reads: 1 s and 6 s tolerate 7 s, as 2 s and 5 s did, a second sooner
            return new Window(StartFrom.ago(Duration.ofHours(1)), Duration.ofSeconds(6), Duration.ofSeconds(1), Duration.ofMinutes(10),
                    Duration.ofMinutes(30));
        }
    }

    private final HubSpotClient client;
    private final Window window;
    private final Map<Long, String> campaignNames = new ConcurrentHashMap<>();
    private final int chunk;

    public HubSpotEmailEventReader(HubSpotClient client, Window window) {
        this(client, window, PolledSource.CHUNK);
    }

    /** @param chunk most events one read holds; a longer window is read newest first in several chunks */
    public HubSpotEmailEventReader(HubSpotClient client, Window window, int chunk) {
        this.client = client;
        this.window = window;
        this.chunk = chunk;
    }

    @Override
    public FlowId source() {
        return FlowId.HUBSPOT_EMAIL_EVENTS;
    }

    /** A window's next chunk is fixed by its cursor (its end and watermark), whatever this chunk's commit stores. */
    @Override
    public boolean readsAhead() {
        return true;
    }

    @Override
    public String start(String stored, Instant now) {
        return stored.isEmpty() ? new TimeWindowCursor(window.startFrom().from(now), 0).serialize() : stored;
    }

    @Override
    public SourceRead read(String value, Instant now) {
        TimeWindowCursor cursor = TimeWindowCursor.parse(value);
        client.guardClock(now, "/email/public/v1/events", Map.of("startTimestamp", Long.toString(now.toEpochMilli()),
                "endTimestamp", Long.toString(now.toEpochMilli()), "limit", "1"));
        // widened either way: event times need not come from the clock that stamps the Date header
        Duration skew = client.clockOffset().magnitude();
        Instant start = cursor.watermark().minus(window.overlap());
        // a part-read window is finished before anything else, the sweep included
        boolean sweep = !cursor.draining() && !now.isBefore(cursor.sweptAt().plus(window.sweepPeriod()));
        if (sweep) {
            Instant depth = now.minus(window.sweepDepth()).minus(skew);
            start = depth.isBefore(start) ? depth : start;
        }
        Instant end = cursor.draining() ? cursor.below() : now.minus(window.settle()).minus(skew);
        if (!end.isAfter(start)) {
            return cursor.draining() ? SourceRead.of(List.of(), new TimeWindowCursor(cursor.then(), cursor.polls() + 1,
                    cursor.sweptAt()).serialize()) : SourceRead.of(List.of(), null);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("startTimestamp", Long.toString(start.toEpochMilli()));
        query.put("endTimestamp", Long.toString(end.toEpochMilli()));
        long endMillis = end.toEpochMilli();
        // the last page of a chunk asks only for what is left of it; newest first, a full chunk covers everything from
        // its oldest event to the window's end, and the rest is the next chunk's
        HubSpotEmailSends.Pages pages = HubSpotEmailSends.pages(client, query, read -> read >= chunk ? PAGE : Math.min(PAGE, chunk - read),
                read -> read.size() >= chunk && oldest(read) + 1 < endMillis);
        List<JsonNode> raw = pages.events();
        boolean cut = pages.stopped();
        // a window read before the offset was known (first poll after a start) commits only what the answers' offset allows
        client.clockOffset().guard(now);
        Instant settled = now.minus(window.settle()).minus(client.clockOffset().magnitude());
        Instant watermark = cursor.draining() ? cursor.then() : settled.isBefore(end) ? settled : end;

        Map<String, Long> countedOnly = new LinkedHashMap<>();
        List<EngagementEvent> events = new ArrayList<>();
        for (JsonNode e : raw) {
            Optional<EngagementEvent> mapped = HubSpotEmailEventMapper.map(e, campaignNames(e));
            if (mapped.isPresent()) {
                events.add(mapped.get());
            } else {
                countedOnly.merge(e.path("type").asText("UNKNOWN"), 1L, Long::sum);
            }
        }
        if (cut) {
            // the oldest millisecond of the chunk may go on in the next page: the next chunk reads it again (the ledger drops repeats)
            Instant below = Instant.ofEpochMilli(oldest(raw) + 1);
            String next = new TimeWindowCursor(cursor.watermark(), cursor.polls() + 1, cursor.sweptAt(), below, watermark).serialize();
            return SourceRead.of(events, next).countedOnly(countedOnly).more(true);
        }
        String next = new TimeWindowCursor(watermark, cursor.polls() + 1, sweep ? now : cursor.sweptAt()).serialize();
        return SourceRead.of(events, next).countedOnly(countedOnly);
    }

    private static long oldest(List<JsonNode> raw) {
        return raw.get(raw.size() - 1).path("created").asLong();
    }

    /** Campaign names are looked up once per campaign (§2.3) and cached. */
    private Map<Long, String> campaignNames(JsonNode event) {
        long id = event.path("emailCampaignId").asLong(0);
        if (id != 0 && !campaignNames.containsKey(id) && isWritten(event)) {
            JsonNode campaign = client.get("/email/public/v1/campaigns/" + id, Map.of()).body();
            String name = campaign.path("name").asText("");
            campaignNames.put(id, name.isBlank() ? campaign.path("subject").asText("Campaign " + id) : name);
        }
        return campaignNames;
    }

    private static boolean isWritten(JsonNode event) {
        String type = event.path("type").asText("");
        return type.equals("OPEN") || type.equals("CLICK") || type.equals("BOUNCE") || type.equals("SPAMREPORT")
                || type.equals("STATUSCHANGE");
    }
}
