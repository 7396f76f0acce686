package io.closedloop.hubspot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads a page keeping, of each item of its array, only the named fields: the others are skipped by the parser and
 * never built into the tree; the page's own fields (paging, counts) stay whole. An email event is about 35 fields with
 * its nested objects (hubspot-api.md §2.1), of which the mapper reads 16; a read-ahead chunk of 10,000 events waits
 * seconds for its Salesforce write, so what each event holds is what the collector promotes and moves.
 * (Jackson's own {@code FilteringParserDelegate} fails on arrays of filtered objects in the version Camel brings,
 * jackson-core#1418, fixed in 2.21.)
 */
final class HubSpotPageFields {
    private final String array;
    private final Set<String> kept;

    /** @param array the page's field that holds the items, e.g. {@code events} */
    HubSpotPageFields(String array, Set<String> kept) {
        this.array = array;
        this.kept = Set.copyOf(kept);
    }

    /** The page, or null when the answer holds no JSON at all. Anything but an object is read whole. */
    JsonNode read(ObjectMapper json, InputStream in) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                return json.readTree(p);
            }
            ObjectNode page = json.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(array) && value == JsonToken.START_ARRAY) {
                    ArrayNode items = page.putArray(name);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.currentToken() == JsonToken.START_OBJECT ? item(json, p) : json.readTree(p));
                    }
                } else {
                    page.set(name, json.readTree(p));
                }
            }
            return page;
        }
    }

    private ObjectNode item(ObjectMapper json, JsonParser p) throws IOException {
        ObjectNode item = json.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (kept.contains(name)) {
                item.set(name, json.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return item;
    }
}
