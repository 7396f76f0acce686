package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which forms a poll reads, so that an idle poll costs one call whatever the number of forms: one contacts search
 * on {@code recent_conversion_date} (hubspot-api.md §4, §4.1) names the forms contacts converted on since the last
 * poll, and only those are read. A contact's properties keep only its latest conversion, and a submission without
 * an email converts no contact, so every form is also read at a slower cadence (the full read), which also folds
 * the per-form watermarks into one floor when there are too many for the stored cursor.
 */
public final class HubSpotFormSelector {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotFormSelector.class);
    /** Cursor entry: when every form was last read. */
    static final String FULL_READ = "_full";
    /** Cursor entry: where the next conversions search starts. */
    static final String CONVERSIONS = "_conv";
    static final String CONVERSION_DATE = "recent_conversion_date";
    static final String CONVERSION_NAME = "recent_conversion_event_name";
    /** Search is eventually consistent (§4): each search reaches this far behind the previous poll. */
    static final Duration SEARCH_LAG = Duration.ofMinutes(2);
    static final int SEARCH_PAGE = 200;
    /** More conversions than this in one poll: reading every form is the cheaper answer. */
    static final int SEARCH_PAGES = 5;
    /** Per-form watermarks kept between full reads; more would not fit the stored cursor, so a full read folds them. */
    static final int MAX_WATERMARKS = 60;

    /** The forms to read at {@code now}; {@code all} when this is a full read. */
    public record Selection(List<JsonNode> forms, boolean all, Instant now) {
    }

    private record Conversion(String name, long at) {
    }

    private final HubSpotClient client;
    private final Duration fullReadInterval;
    /** The form list as of the last time it was read; conversions are matched to it by name. */
    private List<JsonNode> known = List.of();
    private final Set<String> unmatched = new HashSet<>();

    /** @param fullReadInterval how often every form is read; zero reads every form at every poll */
    public HubSpotFormSelector(HubSpotClient client, Duration fullReadInterval) {
        this.client = client;
        this.fullReadInterval = fullReadInterval;
    }

    public Selection select(Map<String, Long> watermarks, Instant now) {
        Long lastFull = watermarks.get(FULL_READ);
        Long from = watermarks.get(CONVERSIONS);
        if (lastFull == null || from == null || now.toEpochMilli() - lastFull >= fullReadInterval.toMillis()) {
            return all(now);
        }
        List<Conversion> conversions = conversionsSince(from);
        if (conversions == null) {
            return all(now);
        }
        long floor = watermarks.get(HubSpotFormSubmissionReader.START);
        Map<String, JsonNode> targets = new LinkedHashMap<>();
        boolean listed = false;
        for (Conversion c : conversions) {
            List<JsonNode> matched = matching(c.name());
            if (matched.isEmpty() && !listed && !unmatched.contains(c.name())) {
                // a form created since the list was read, or a restart: read the list once this poll
                known = listForms();
                unmatched.clear();
                listed = true;
                matched = matching(c.name());
            }
            if (matched.isEmpty() && unmatched.add(c.name())) {
                LOG.info("A recent conversion named '{}' matches no form; the next full read covers it", c.name());
            }
            for (JsonNode form : matched) {
                String guid = form.path("id").asText();
                // at or before the form's watermark: that submission was read already
                if (c.at() > watermarks.getOrDefault(guid, floor)) {
                    targets.put(guid, form);
                }
            }
        }
        long kept = watermarks.keySet().stream().filter(k -> !k.startsWith("_")).count()
                + targets.keySet().stream().filter(g -> !watermarks.containsKey(g)).count();
        return kept > MAX_WATERMARKS ? all(now) : new Selection(List.copyOf(targets.values()), false, now);
    }

    /** The cursor after the selected forms were read: a full read with too many watermarks folds them into the floor. */
    public Map<String, Long> next(Selection selection, Map<String, Long> read) {
        Map<String, Long> out = new LinkedHashMap<>(read);
        long now = selection.now().toEpochMilli();
        out.merge(CONVERSIONS, now - SEARCH_LAG.toMillis(), Math::max);
        if (selection.all()) {
            out.put(FULL_READ, now);
        }
        if (selection.all() && read.keySet().stream().filter(k -> !k.startsWith("_")).count() > MAX_WATERMARKS) {
            // every form was read through its newest submission, so none can get one older than the newest of all
            long floor = read.entrySet().stream().filter(e -> !e.getKey().startsWith("_") || e.getKey().equals(HubSpotFormSubmissionReader.START))
                    .mapToLong(Map.Entry::getValue).max().orElse(read.get(HubSpotFormSubmissionReader.START));
            out.keySet().removeIf(k -> !k.startsWith("_"));
            out.put(HubSpotFormSubmissionReader.START, floor);
        }
        return out;
    }

    /** Every form, as at a full read (a sweep re-reads them all). */
    public Selection everyForm(Instant now) {
        return all(now);
    }

    private Selection all(Instant now) {
        known = listForms();
        unmatched.clear();
        return new Selection(known, true, now);
    }

    /** HubSpot's conversion name is the form's name, or the form's name and the page's title after ": " (§4 example). */
    private List<JsonNode> matching(String name) {
        return known.stream().filter(f -> {
            String formName = f.path("name").asText("");
            return name.equals(formName) || name.startsWith(formName + ": ");
        }).toList();
    }

    /** Contacts converted since {@code from}, oldest first (§4); null when there are more than a few pages. */
    private List<Conversion> conversionsSince(long from) {
        List<Conversion> out = new ArrayList<>();
        String after = "0";
        for (int page = 0; page < SEARCH_PAGES && after != null; page++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("filterGroups", List.of(Map.of("filters", List.of(
                    Map.of("propertyName", CONVERSION_DATE, "operator", "GTE", "value", Long.toString(from))))));
            body.put("sorts", List.of(Map.of("propertyName", CONVERSION_DATE, "direction", "ASCENDING")));
            body.put("properties", List.of(CONVERSION_NAME, CONVERSION_DATE));
            body.put("limit", SEARCH_PAGE);
            body.put("after", after);
            JsonNode answer = client.post("/crm/v3/objects/contacts/search", body).body();
            for (JsonNode contact : answer.path("results")) {
                JsonNode p = contact.path("properties");
                String name = p.path(CONVERSION_NAME).asText("");
                long at = HubSpotContactChangeReader.epoch(p.path(CONVERSION_DATE).asText(null), 0);
                if (!name.isBlank() && at > 0) {
                    out.add(new Conversion(name, at));
                }
            }
            after = answer.path("paging").path("next").path("after").asText(null);
        }
        return after == null ? out : null;
    }

    private List<JsonNode> listForms() {
        List<JsonNode> forms = new ArrayList<>();
        String after = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", "50");
            if (after != null) {
                query.put("after", after);
            }
            JsonNode page = client.get("/marketing/v3/forms", query).body();
            page.path("results").forEach(f -> {
                if (!f.path("archived").asBoolean(false)) {
                    forms.add(f);
                }
            });
            after = page.path("paging").path("next").path("after").asText(null);
        } while (after != null);
        return forms;
    }
}
