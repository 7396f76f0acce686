package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.SkippableSyncException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot lists as Closedloop reads them: a list's members with their membership times (hubspot-api.md §8.1), the
 * list itself (§8.2, {@code GET /crm/v3/lists/{listId}}), and the members' emails by contact batch reads (§5.1).
 */
public class HubSpotLists {
    static final int PAGE = 250;
    static final int BATCH_READ = 100;

    /** A list's name and when it was created (null if HubSpot did not say). */
    public record ListInfo(String listId, String name, Instant createdAt) {
    }

    private final HubSpotClient client;

    public HubSpotLists(HubSpotClient client) {
        this.client = client;
    }

    /**
     * Members read from one {@code after} cursor on, in HubSpot's order (ascending recordId, §8.1).
     * @param after where the next page starts, or null once the list is read to its end
     */
    public record Page(Map<String, Instant> members, String after) {
    }

    /** Every member of the list with its membership time, or null if the list does not exist. */
    public Map<String, Instant> members(String listId, Instant now) {
        Page page = page(listId, null, Integer.MAX_VALUE, now);
        return page == null ? null : page.members();
    }

    /**
     * At most {@code max} members of the list from {@code after} on (null: from the start), in pages of up to 250
     * (§8.1: the limit may be lower on the last page); null if the list does not exist.
     */
    public Page page(String listId, String from, int max, Instant now) {
        Map<String, Instant> members = new LinkedHashMap<>();
        String after = from;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(Math.min(PAGE, max - members.size())));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode page;
            try {
                page = client.get("/crm/v3/lists/" + listId + "/memberships", query).body();
            } catch (SkippableSyncException e) {
                if (!"OBJECT_NOT_FOUND".equals(e.code())) {
                    throw e;
                }
                return null;
            }
            if (!page.path("results").isArray()) {
                throw new SkippableSyncException("MALFORMED_RESPONSE", "HubSpot list memberships page without a results array", null);
            }
            for (JsonNode m : page.path("results")) {
                String contactId = m.path("recordId").asText("");
                if (!contactId.isEmpty()) {
                    members.put(contactId, timestamp(m.path("membershipTimestamp").asText(null), now));
                }
            }
            after = page.path("paging").path("next").path("after").asText(null);
        } while (after != null && members.size() < max);
        return new Page(members, after);
    }

    /** The list's name ("List <id>" when blank) and creation time. */
    public ListInfo list(String listId) {
        JsonNode list = client.get("/crm/v3/lists/" + listId, Map.of()).body().path("list");
        String name = list.path("name").asText("");
        return new ListInfo(listId, name.isBlank() ? "List " + listId : name, timestamp(list.path("createdAt").asText(null), null));
    }

    /** Membership times are documented (§8.1); if one is ever missing, the fallback stands in. */
    static Instant timestamp(String iso, Instant fallback) {
        try {
            return iso == null ? fallback : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** Emails by contact id, 100 ids per batch read; contacts HubSpot no longer has (207) or without an email are absent. */
    public Map<String, String> emails(Set<String> contactIds) {
        Map<String, String> out = new HashMap<>();
        List<String> ids = new ArrayList<>(contactIds);
        for (int from = 0; from < ids.size(); from += BATCH_READ) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH_READ));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("inputs", chunk.stream().map(id -> Map.of("id", id)).toList());
            body.put("properties", List.of(HubSpotNames.EMAIL));
            body.put("propertiesWithHistory", List.of());
            JsonNode response = client.post("/crm/v3/objects/contacts/batch/read", body).body();
            // results come in no particular order (§5.1): match them by id
            for (JsonNode r : response.path("results")) {
                String email = r.path("properties").path(HubSpotNames.EMAIL).asText("");
                if (!email.isBlank()) {
                    out.put(r.path("id").asText(), email);
                }
            }
        }
        return out;
    }
}
