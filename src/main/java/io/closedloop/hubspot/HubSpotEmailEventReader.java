package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import io.closedloop.core.IdlePool;
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

    /** Most time slices of a window read at once: the reader's concurrency. */
    public static final int SLICES = 4;

    private final HubSpotClient client;
    private final Window window;
    private final Map<Long, String> campaignNames = new ConcurrentHashMap<>();
    private final int chunk;
    /** Events a millisecond in the span the last read covered; 0 before the first read. */
    private volatile double density;
    /** The threads that read the older slices of a window while the reading thread reads the newest; none stays idle. */
    private final java.util.concurrent.ThreadPoolExecutor slicePool = IdlePool.of("closedloop-email-slice", SLICES - 1, 10);

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
        // a part-read window goes on from where it started: a sweep's chunks after the first reach back its whole depth
        Instant start = cursor.draining() && cursor.from() != null ? cursor.from() : cursor.watermark().minus(window.overlap());
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
        long endMillis = end.toEpochMilli();
        Chunk read = readChunk(start.toEpochMilli(), endMillis);
        List<JsonNode> raw = read.events();
        boolean cut = read.below() != null;
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
            Instant below = Instant.ofEpochMilli(read.below());
            // a sweep counts as done when it starts: its chunks drain it, and the next poll does not start it again
            String next = new TimeWindowCursor(cursor.watermark(), cursor.polls() + 1, sweep ? now : cursor.sweptAt(), below, watermark,
                    start).serialize();
            return SourceRead.of(events, next).countedOnly(countedOnly).more(true);
        }
        String next = new TimeWindowCursor(watermark, cursor.polls() + 1, sweep ? now : cursor.sweptAt()).serialize();
        return SourceRead.of(events, next).countedOnly(countedOnly);
    }

    private static long oldest(List<JsonNode> raw) {
        return raw.get(raw.size() - 1).path("created").asLong();
    }

    /**
     * What one read of a window holds: its events, newest first, and the inclusive end of the window's next chunk,
     * or null when the window is read to its start.
     */
    record Chunk(List<JsonNode> events, Long below) {
    }

    /**
     * The newest chunk of {@code [startMs, endMs]} (both inclusive, §2.1). When the last read's density says the window
     * holds two pages or more, the newest part of it expected to fill a chunk is read as up to {@link #SLICES} time
     * slices at once, each page after page: the pages of a chunk take a few round trips instead of one each. Otherwise,
     * and for a first read, page after page from the newest.
     */
    Chunk readChunk(long startMs, long endMs) {
        List<long[]> slices = slices(startMs, endMs, density, chunk);
        Chunk read = slices == null ? sequential(startMs, endMs) : sliced(slices, startMs, endMs);
        if (read == null) {
            // a single millisecond holds more than the chunk: only a read page after page gets past it
            read = sequential(startMs, endMs);
        }
        if (!read.events().isEmpty()) {
            long from = read.below() == null ? startMs : Math.min(read.below(), endMs);
            density = read.events().size() / (double) (endMs - from + 1);
        }
        return read;
    }

    /** Page after page from the newest; the last page of a chunk asks only for what is left of it. */
    private Chunk sequential(long startMs, long endMs) {
        HubSpotEmailSends.Pages pages = HubSpotEmailSends.pages(client, window(startMs, endMs),
                read -> read >= chunk ? PAGE : Math.min(PAGE, chunk - read), read -> read.size() >= chunk && oldest(read) + 1 < endMs);
        // the oldest millisecond of the chunk may go on in the next page: the next chunk reads it again (the ledger drops repeats)
        return new Chunk(pages.events(), pages.stopped() ? oldest(pages.events()) + 1 : null);
    }

    /**
     * The slices read at once and joined newest first. A chunk is what was read without a gap from the window's end:
     * it stops at the first slice that stopped early, or at {@code chunk} events, and what was read of older slices
     * is read again with the next chunk. Null when the chunk would not move the window's end.
     */
    private Chunk sliced(List<long[]> slices, long startMs, long endMs) {
        // each slice reads at most its share of the chunk and a page more: a burst beyond the estimate holds about a
        // chunk in memory, as a read page after page does, and is cut where the first slice stopped
        int cap = chunk / slices.size() + PAGE;
        List<java.util.concurrent.Future<HubSpotEmailSends.Pages>> reads = new ArrayList<>();
        for (long[] slice : slices.subList(1, slices.size())) {
            reads.add(slicePool.submit(() -> slice(slice, cap)));
        }
        List<HubSpotEmailSends.Pages> pages = new ArrayList<>();
        try {
            pages.add(slice(slices.get(0), cap));
            for (java.util.concurrent.Future<HubSpotEmailSends.Pages> r : reads) {
                pages.add(r.get());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading HubSpot email events", e);
        } finally {
            reads.forEach(r -> r.cancel(true));
        }
        List<JsonNode> events = new ArrayList<>();
        for (HubSpotEmailSends.Pages p : pages) {
            int room = chunk - events.size();
            if (p.events().size() > room || p.stopped()) {
                events.addAll(p.events().subList(0, Math.min(room, p.events().size())));
                if (events.isEmpty() || oldest(events) + 1 >= endMs) {
                    return null;
                }
                return new Chunk(events, oldest(events) + 1);
            }
            events.addAll(p.events());
        }
        long from = slices.get(slices.size() - 1)[0];
        // the slices covered [from, endMs] whole: the next chunk ends just before it
        return new Chunk(events, from > startMs ? from - 1 : null);
    }

    /** One slice, page after page, until its last page or {@code cap} events. */
    private HubSpotEmailSends.Pages slice(long[] slice, int cap) {
        return HubSpotEmailSends.pages(client, window(slice[0], slice[1]), read -> Math.min(PAGE, cap - read), read -> read.size() >= cap);
    }

    /**
     * The time slices of the newest part of {@code [startMs, endMs]} expected to hold at most a chunk at
     * {@code density} events a millisecond, newest first, each {@code {start, end}} inclusive and as long as the others;
     * null when that part is expected to fit in less than two pages (or nothing is known of the density yet).
     */
    static List<long[]> slices(long startMs, long endMs, double density, int chunk) {
        if (density <= 0 || endMs < startMs) {
            return null;
        }
        long from = startMs;
        double expected = density * (endMs - startMs + 1);
        if (expected > chunk) {
            from = Math.max(startMs, endMs - (long) (chunk / density) + 1);
            expected = chunk;
        }
        int k = (int) Math.min(SLICES, Math.ceil(expected / PAGE));
        long span = endMs - from + 1;
        if (k < 2 || span < k) {
            return null;
        }
        List<long[]> out = new ArrayList<>();
        long hi = endMs;
        for (int i = 1; i <= k; i++) {
            long lo = i == k ? from : endMs - span * i / k + 1;
            out.add(new long[] {lo, hi});
            hi = lo - 1;
        }
        return out;
    }

    private static Map<String, String> window(long startMs, long endMs) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("startTimestamp", Long.toString(startMs));
        query.put("endTimestamp", Long.toString(endMs));
        return query;
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
