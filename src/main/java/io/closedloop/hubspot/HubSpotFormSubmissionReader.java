package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads form submissions (hubspot-api.md §3) of the forms {@link HubSpotFormSelector} picks: those contacts
 * converted on since the last poll, and every form at its slower full read; each form's submissions come newest
 * first and are paged until one at or before that form's watermark (less an overlap). One cursor holds the
 * watermarks. Once per sweep period every form is read back to the sweep depth, for submissions indexed after the
 * watermark passed them.
 */
public class HubSpotFormSubmissionReader implements PolledSource {
    static final int PAGE = 50;
    /** Cursor entry holding where forms seen for the first time start reading. */
    static final String START = "_start";
    /** Cursor entry holding when the last sweep read. */
    static final String SWEPT = "_swept";

    /** Where a new form starts, the overlap of each form's watermark, and the sweep (how often, how far back). */
    public record Window(StartFrom startFrom, Duration overlap, Duration sweepPeriod, Duration sweepDepth) {
    }

    private final HubSpotClient client;
    private final Window window;
    private final HubSpotFormSelector selector;
    private final int chunk;

    public HubSpotFormSubmissionReader(HubSpotClient client, Window window, HubSpotFormSelector selector) {
        this(client, window, selector, PolledSource.CHUNK);
    }

    /** @param chunk once a read holds this many new submissions it reads no further form (one form's new ones are read whole) */
    public HubSpotFormSubmissionReader(HubSpotClient client, Window window, HubSpotFormSelector selector, int chunk) {
        this.chunk = chunk;
        this.client = client;
        this.window = window;
        this.selector = selector;
    }

    @Override
    public FlowId source() {
        return FlowId.HUBSPOT_FORM_SUBMISSIONS;
    }

    /** Where forms seen for the first time start reading, set on the first poll. */
    @Override
    public String start(String stored, Instant now) {
        Map<String, Long> watermarks = parse(stored);
        if (watermarks.containsKey(START)) {
            return stored;
        }
        watermarks.put(START, window.startFrom().from(now).toEpochMilli());
        return serialize(watermarks);
    }

    @Override
    public SourceRead read(String cursor, Instant now) {
        Map<String, Long> watermarks = parse(cursor);
        client.guardClock(now, "/marketing/v3/forms", Map.of("limit", "1"));
        long defaultStart = watermarks.get(START);
        boolean sweep = now.toEpochMilli() >= watermarks.getOrDefault(SWEPT, 0L) + window.sweepPeriod().toMillis();
        // submission times are HubSpot's: the depth is widened by the clock offset like the email window's settle time
        long sweepFrom = now.minus(window.sweepDepth()).minus(client.clockOffset().magnitude()).toEpochMilli();
        List<EngagementEvent> events = new ArrayList<>();
        Map<String, Long> next = new LinkedHashMap<>(watermarks);
        // a sweep reads every form, like a full read
        HubSpotFormSelector.Selection selection = sweep ? selector.everyForm(now) : selector.select(watermarks, now);
        // submissions after now belong to the next read (a backfill reads window by window, each up to its end)
        long upper = now.toEpochMilli();
        int fresh = 0;
        boolean cut = false;
        for (JsonNode form : selection.forms()) {
            if (fresh >= chunk) {
                // the chunk is full: the forms not read yet keep their watermarks and the next chunk reads them
                cut = true;
                break;
            }
            String guid = form.path("id").asText();
            String name = form.path("name").asText(guid);
            long watermark = watermarks.getOrDefault(guid, defaultStart);
            long since = watermark - window.overlap().toMillis();
            since = sweep ? Math.min(since, sweepFrom) : since;
            long newest = watermark;
            String after = null;
            boolean older = false;
            do {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("limit", Integer.toString(PAGE));
                if (after != null) {
                    query.put("after", after);
                }
                JsonNode page = client.get("/form-integrations/v1/submissions/forms/" + guid, query).body();
                for (JsonNode s : page.path("results")) {
                    long at = s.path("submittedAt").asLong();
                    if (at <= since) {
                        // newest first: everything after this was read before
                        older = true;
                        break;
                    }
                    if (at > upper) {
                        continue;
                    }
                    newest = Math.max(newest, at);
                    // only submissions past the watermark fill the chunk, so every chunk moves a watermark
                    fresh += at > watermark ? 1 : 0;
                    events.add(event(guid, name, s));
                }
                after = page.path("paging").path("next").path("after").asText(null);
            } while (after != null && !older);
            next.put(guid, newest);
        }
        client.clockOffset().guard(now);
        if (cut) {
            // the full read, the sweep and the conversions search count as done only once every form is read
            return SourceRead.of(events, serialize(next)).more(true);
        }
        if (sweep) {
            next.put(SWEPT, now.toEpochMilli());
        }
        return SourceRead.of(events, serialize(selector.next(selection, next)));
    }

    static EngagementEvent event(String formGuid, String formName, JsonNode submission) {
        Map<String, String> values = new LinkedHashMap<>();
        submission.path("values").forEach(v -> values.put(v.path("name").asText(), v.path("value").asText("")));
        String email = values.get("email");
        long at = submission.path("submittedAt").asLong();
        String conversionId = submission.path("conversionId").asText("");
        // conversionId's uniqueness is unconfirmed (§3.2): the form, the time and the email identify a submission too
        String id = conversionId.isBlank()
                ? EngagementEvent.idOf("form", formGuid, Long.toString(at), hash(email))
                : EngagementEvent.idOf("form", formGuid, conversionId);
        Map<String, String> details = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!k.equals("email")) {
                details.put(k, v);
            }
        });
        return new EngagementEvent(id, EngagementEvent.Source.FORM, ActivityType.FORM_SUBMISSION, Instant.ofEpochMilli(at), email,
                null, formName, submission.path("pageUrl").asText(null), null, details);
    }

    private static String hash(String email) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.valueOf(email).toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> parse(String cursor) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String part : cursor.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && !kv[0].isBlank()) {
                out.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return out;
    }

    static String serialize(Map<String, Long> watermarks) {
        StringBuilder out = new StringBuilder();
        watermarks.forEach((k, v) -> out.append(out.length() > 0 ? ";" : "").append(k).append('=').append(v));
        return out.toString();
    }
}
