package io.closedloop.sandbox.hubspot;

import java.util.List;
import java.util.Map;

/** A task created through the CRM tasks API (second-batch-notes.md §4), with the contacts it was associated to. */
public record Task(String id, Map<String, String> properties, List<String> contactIds) {
    public Task {
        properties = Map.copyOf(properties);
        contactIds = List.copyOf(contactIds);
    }
}
