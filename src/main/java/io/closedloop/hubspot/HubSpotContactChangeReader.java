package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.state.ContactStates;
import io.closedloop.core.ActivityType;
import io.closedloop.core.ContactChange;
import io.closedloop.core.ContactProfile;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SkippableSyncException;
import io.closedloop.core.SourceRead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Turns contact changes into engagement (hubspot-api.md §4): contacts modified since the watermark are searched
 * oldest first and compared with their last snapshot. A lifecycle change becomes an activity (the MQL moment its
 * own), more page views become a page visit, and the score travels as a profile to the summary fields: a score
 * moves with every open, so writing each change as an activity would double the records for no reader.
 * Search answers are capped at 10,000 per query; before the cap the search restarts from the last modified time
 * seen, and when more than a page-full share one millisecond it walks them by id.
 * A change of the lead status ({@code hs_lead_status}, read in the same search) is no activity: it travels as a
 * {@link ContactChange} for the reverse SLA only.
 */
public class HubSpotContactChangeReader implements PolledSource {
    static final int PAGE = 200;
    static final int RESULT_CAP = 10_000;
    static final String MQL = "marketingqualifiedlead";
    static final String STAGE_ARROW = " → ";
    /** Cursor entry of a first read (a baseline) that goes on in the next chunk. */
    static final String BASELINE = "baseline";
    /** HubSpot's default lifecycle stages, each with a "Became a ... Date" property. */
    static final List<String> DEFAULT_STAGES = List.of("subscriber", "lead", MQL, "salesqualifiedlead", "opportunity", "customer",
            "evangelist", "other");
    static final List<String> PROPERTIES = Stream.concat(Stream.of(HubSpotNames.EMAIL, "firstname", "lastname", "company",
            "hubspotscore", HubSpotNames.LIFECYCLE_STAGE, HubSpotNames.LEAD_STATUS, "hs_analytics_num_page_views", "hs_analytics_last_url", "hs_analytics_last_visit_timestamp",
            "recent_conversion_event_name", "recent_conversion_date", "lastmodifieddate", "hs_object_id"),
            DEFAULT_STAGES.stream().map(HubSpotContactChangeReader::stageEnteredProperty)).toList();

    /**
     * Window settings. Search is eventually consistent, so every poll re-reads an overlap before the watermark;
     * snapshots that did not change are free. The search rate (4 per second) is kept by the client's budget.
     */
    public record Window(StartFrom startFrom, Duration overlap, int resultCap) {
        public static Window defaults() {
            return new Window(StartFrom.ago(Duration.ofHours(1)), Duration.ofSeconds(60), RESULT_CAP);
        }
    }

    private final HubSpotClient client;
    private final ContactStates contactStates;
    private final Window window;
    private final MqlDefinition mql;
    private final int chunk;

    /** The MQL definition: lifecycle stage and/or score threshold (config/dispositions.properties). */
    public record MqlDefinition(String stage, Integer scoreThreshold) {
        public static MqlDefinition defaults() {
            return new MqlDefinition(MQL, null);
        }

        public boolean isMql(String lifecycleStage, Integer score) {
            return stage != null && stage.equals(lifecycleStage) || scoreThreshold != null && score != null && score >= scoreThreshold;
        }
    }

    public HubSpotContactChangeReader(HubSpotClient client, ContactStates contactStates, Window window) {
        this(client, contactStates, window, MqlDefinition.defaults());
    }

    public HubSpotContactChangeReader(HubSpotClient client, ContactStates contactStates, Window window, MqlDefinition mql) {
        this(client, contactStates, window, mql, PolledSource.CHUNK);
    }

    /** @param chunk how many contacts modified after the watermark one read holds, at most a page more */
    public HubSpotContactChangeReader(HubSpotClient client, ContactStates contactStates, Window window, MqlDefinition mql, int chunk) {
        this.chunk = chunk;
        this.mql = mql;
        this.client = client;
        this.contactStates = contactStates;
        this.window = window;
    }

    @Override
    public FlowId source() {
        return FlowId.HUBSPOT_CONTACT_CHANGES;
    }

    @Override
    public SourceRead read(String cursor, Instant now) {
        // the first poll is a baseline: a contact already an MQL then became one at some unknown earlier time
        boolean first = cursor.isEmpty();
        // a baseline read in several chunks keeps its first window's start, which decides the MQL catch-up
        Long baselineStart = first ? null : baselineStart(cursor);
        boolean baseline = first || baselineStart != null;
        long watermark = first ? window.startFrom().from(now).toEpochMilli() : parseCursor(cursor);
        long scanFrom = watermark - window.overlap().toMillis();
        long windowStart = baselineStart != null ? baselineStart : scanFrom;

        Scan scan = scan(scanFrom, watermark);
        Map<String, JsonNode> snapshots = scan.snapshots();
        long newest = watermark;
        for (JsonNode c : snapshots.values()) {
            newest = Math.max(newest, epoch(c.path("properties").path("lastmodifieddate").asText(null), 0));
        }

        Map<String, ContactStates.State> before = contactStates.find(snapshots.keySet());
        List<EngagementEvent> events = new ArrayList<>();
        List<ContactProfile> profiles = new ArrayList<>();
        List<ContactChange> changes = new ArrayList<>();
        List<ContactStates.State> after = new ArrayList<>();
        for (var entry : snapshots.entrySet()) {
            ContactStates.State old = before.get(entry.getKey());
            JsonNode properties = entry.getValue().path("properties");
            ContactStates.State next = diff(entry.getKey(), properties, old, baseline, windowStart, mql, events, profiles);
            if (old != null && !Objects.equals(old.leadStatus(), next.leadStatus())) {
                changes.add(new ContactChange(entry.getKey(), HubSpotNames.LEAD_STATUS, old.leadStatus(), next.leadStatus(),
                        Instant.ofEpochMilli(epoch(text(properties, "lastmodifieddate"), 0))));
            }
            if (!next.equals(old)) {
                after.add(next);
            }
        }
        String next = scan.cut() && baseline ? newest + ";" + BASELINE + "=" + windowStart : Long.toString(newest);
        return SourceRead.of(events, next).profiles(profiles).contactChanges(changes).onCommit(() -> contactStates.put(after)).more(scan.cut());
    }

    /** The snapshots a read found, and whether it stopped at its chunk before the end of its window. */
    private record Scan(Map<String, JsonNode> snapshots, boolean cut) {
    }

    /**
     * Every contact modified at or after {@code from}, latest snapshot per id, oldest first; after the chunk's worth of
     * contacts modified after the watermark, the scan stops at the end of a page (the next chunk goes on from there).
     */
    private Scan scan(long from, long watermark) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        int fresh = 0;
        long lower = from;
        String sameMillisAfterId = null;
        while (true) {
            int offset = 0;
            long lastModified = lower;
            String lastId = null;
            boolean capped = false;
            while (true) {
                JsonNode page = search(lower, sameMillisAfterId, offset);
                JsonNode results = page.path("results");
                if (!results.isArray()) {
                    throw new SkippableSyncException("MALFORMED_RESPONSE", "HubSpot contact search answer without a results array", null);
                }
                for (JsonNode c : results) {
                    out.put(c.path("id").asText(), c);
                    lastModified = epoch(c.path("properties").path("lastmodifieddate").asText(null), lastModified);
                    lastId = c.path("id").asText();
                    fresh += lastModified > watermark ? 1 : 0;
                }
                String next = page.path("paging").path("next").path("after").asText(null);
                if (next == null) {
                    break;
                }
                if (fresh >= chunk && sameMillisAfterId == null) {
                    // only contacts past the watermark count, so every chunk moves it: the overlap is re-read, never looped on
                    return new Scan(out, true);
                }
                offset = Integer.parseInt(next);
                if (offset + PAGE > window.resultCap()) {
                    capped = true;
                    break;
                }
            }
            if (!capped) {
                if (sameMillisAfterId == null) {
                    return new Scan(out, false);
                }
                // done with the crowded millisecond: carry on after it
                lower = lower + 1;
                sameMillisAfterId = null;
                continue;
            }
            if (sameMillisAfterId != null) {
                sameMillisAfterId = lastId;
            } else if (lastModified > lower) {
                lower = lastModified;
            } else {
                // more than 10,000 contacts share one millisecond: walk that millisecond by id
                sameMillisAfterId = "0";
            }
        }
    }

    private JsonNode search(long lower, String sameMillisAfterId, int offset) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> filters = new ArrayList<>();
        if (sameMillisAfterId == null) {
            filters.add(Map.of("propertyName", "lastmodifieddate", "operator", "GTE", "value", Long.toString(lower)));
            body.put("sorts", List.of(Map.of("propertyName", "lastmodifieddate", "direction", "ASCENDING")));
        } else {
            filters.add(Map.of("propertyName", "lastmodifieddate", "operator", "EQ", "value", Long.toString(lower)));
            filters.add(Map.of("propertyName", "hs_object_id", "operator", "GT", "value", sameMillisAfterId));
            body.put("sorts", List.of(Map.of("propertyName", "hs_object_id", "direction", "ASCENDING")));
        }
        body.put("filterGroups", List.of(Map.of("filters", filters)));
        body.put("properties", PROPERTIES);
        body.put("limit", PAGE);
        body.put("after", Integer.toString(offset));
        return client.post("/crm/v3/objects/contacts/search", body).body();
    }

    /** Compares a snapshot with the last one, adds the events and profile it implies, and returns the new state. */
    static ContactStates.State diff(String contactId, JsonNode p, ContactStates.State old, boolean baseline, long windowStart, MqlDefinition mql,
                                    List<EngagementEvent> events, List<ContactProfile> profiles) {
        String email = text(p, HubSpotNames.EMAIL);
        long modified = epoch(text(p, "lastmodifieddate"), 0);
        Instant modifiedAt = Instant.ofEpochMilli(modified);
        Integer score = integer(p, "hubspotscore");
        String stage = text(p, HubSpotNames.LIFECYCLE_STAGE);
        Integer views = integer(p, "hs_analytics_num_page_views");
        String lastUrl = text(p, "hs_analytics_last_url");
        long lastVisit = epoch(text(p, "hs_analytics_last_visit_timestamp"), 0);
        long conversion = epoch(text(p, "recent_conversion_date"), 0);
        String conversionName = text(p, "recent_conversion_event_name");
        Instant mqlAt = old == null ? null : old.mqlAt();
        // the stage change is identified by when the contact entered the stage, which later edits of the contact do not move:
        // a re-read after a crash before the snapshot was stored then repeats the same event id (lastmodifieddate would not)
        long entered = stage == null ? 0 : epoch(text(p, stageEnteredProperty(stage)), 0);
        Instant enteredAt = entered > 0 ? Instant.ofEpochMilli(entered) : modifiedAt;
        String m = Long.toString(enteredAt.toEpochMilli());

        boolean byStage = mql.isMql(stage, null);
        // first poll: a contact already an MQL by stage has HubSpot's stage-entered date; one inside the first window
        // becomes an MQL moment (its activity, MQL_At__c if blank and, inside its SLA, the hand-off clock)
        boolean existingMql = old == null && baseline && byStage && entered > 0;
        if (existingMql) {
            mqlAt = enteredAt;
        }
        boolean becameMql = mql.isMql(stage, score) && (old == null ? !baseline || existingMql && entered >= windowStart
                : !mql.isMql(old.lifecycleStage(), old.score()));
        Instant mqlMoment = byStage ? enteredAt : modifiedAt;
        // by score alone there is no entry time; the previous snapshot, unchanged until commit, keeps the id stable
        String mqlKey = byStage ? m : "score:" + (old == null || old.mqlAt() == null ? "first" : Long.toString(old.mqlAt().toEpochMilli()));
        if (becameMql) {
            // by stage: the time HubSpot says the stage was entered; by score alone: the change that crossed the threshold
            mqlAt = mqlAt == null ? mqlMoment : mqlAt;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("lifecycle stage", (old == null || old.lifecycleStage() == null ? "(new)" : old.lifecycleStage()) + STAGE_ARROW + stage);
            if (score != null) {
                details.put("score", score.toString());
            }
            if (conversionName != null) {
                details.put("recent conversion", conversionName);
            }
            if (existingMql) {
                details.put(EngagementEvent.CATCH_UP, "already an MQL at the first poll");
            }
            // what a new Lead needs if the person is not in Salesforce and the policy creates one
            putIfPresent(details, "first name", text(p, "firstname"));
            putIfPresent(details, "last name", text(p, "lastname"));
            putIfPresent(details, "company", text(p, "company"));
            events.add(new EngagementEvent(EngagementEvent.idOf("crm", contactId, "mql", mqlKey), EngagementEvent.Source.CRM,
                    ActivityType.BECAME_MQL, mqlMoment, email, contactId, "Marketing qualified lead", null, null, details));
        }
        if (old != null && stage != null && !stage.equals(old.lifecycleStage()) && !(becameMql && mql.isMql(stage, null))) {
            events.add(new EngagementEvent(EngagementEvent.idOf("crm", contactId, "stage", m), EngagementEvent.Source.CRM,
                    ActivityType.LIFECYCLE_CHANGE, enteredAt, email, contactId, (old.lifecycleStage() == null ? "(none)" : old.lifecycleStage())
                    + STAGE_ARROW + stage, null, null, Map.of()));
        }

        int oldViews = old == null || old.pageViews() == null ? 0 : old.pageViews();
        boolean visited = views != null && views > oldViews && (old != null || lastVisit >= windowStart);
        if (visited) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("page views", old == null ? views.toString() : "+" + (views - oldViews) + " (" + views + " in all)");
            Instant at = Instant.ofEpochMilli(lastVisit > 0 ? lastVisit : modified);
            events.add(new EngagementEvent(EngagementEvent.idOf("crm", contactId, "visit", Long.toString(at.toEpochMilli()), views.toString()),
                    EngagementEvent.Source.CRM, ActivityType.PAGE_VISIT, at, email, contactId, pageName(lastUrl), lastUrl, null, details));
        }

        boolean scoreChanged = score != null && (old == null || !Objects.equals(score, old.score()));
        if (scoreChanged || becameMql || existingMql) {
            profiles.add(new ContactProfile(email, contactId, score, modifiedAt, mqlAt));
        }
        return new ContactStates.State(contactId, score, stage, views, lastUrl,
                conversion > 0 ? Instant.ofEpochMilli(conversion) : old == null ? null : old.lastConversionAt(), mqlAt, text(p, HubSpotNames.LEAD_STATUS));
    }

    /** The stage a lifecycle change or MQL moment from this reader moved the contact to ("old → new"), or null. */
    public static String newStage(EngagementEvent e) {
        String text = switch (e.type()) {
            case LIFECYCLE_CHANGE -> e.assetName();
            case BECAME_MQL -> e.details().get("lifecycle stage");
            default -> null;
        };
        int arrow = text == null ? -1 : text.lastIndexOf(STAGE_ARROW);
        return arrow < 0 ? null : text.substring(arrow + STAGE_ARROW.length()).trim();
    }

    /** HubSpot's "Became a ... Date" property of a default stage; custom stages have none and fall back to lastmodifieddate. */
    static String stageEnteredProperty(String stage) {
        return "hs_lifecyclestage_" + stage + "_date";
    }

    /** "https://www.acme.com/pricing?x=1" -> "/pricing", the part a rep recognises. */
    static String pageName(String url) {
        if (url == null) {
            return null;
        }
        String path = url.replaceFirst("^[a-zA-Z]+://[^/]*", "").replaceFirst("[?#].*$", "");
        return path.isEmpty() ? "/" : path;
    }

    private static void putIfPresent(Map<String, String> details, String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Integer integer(JsonNode p, String name) {
        String v = text(p, name);
        if (v == null) {
            return null;
        }
        try {
            return (int) Math.round(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** HubSpot datetimes travel as ISO strings in search results and as epoch milliseconds elsewhere (§0.1). */
    static long epoch(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    static long parseCursor(String cursor) {
        return Long.parseLong(cursor.split(";", 2)[0].trim());
    }

    /** The first window's start of a baseline still being read in chunks, else null. */
    static Long baselineStart(String cursor) {
        String[] parts = cursor.split(";", 2);
        return parts.length == 2 && parts[1].startsWith(BASELINE + "=") ? Long.valueOf(parts[1].substring(BASELINE.length() + 1).trim()) : null;
    }
}
