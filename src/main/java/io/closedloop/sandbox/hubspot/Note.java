package io.closedloop.sandbox.hubspot;

import java.util.List;
import java.util.Map;

/** A note created through the API (§7), with the contacts it was associated to. */
public record Note(String id, Map<String, String> properties, List<String> contactIds) {
    public Note {
        properties = Map.copyOf(properties);
        contactIds = List.copyOf(contactIds);
    }
}
