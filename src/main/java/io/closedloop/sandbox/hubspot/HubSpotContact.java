package io.closedloop.sandbox.hubspot;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** An immutable version of one contact: the store keeps the latest, the search index may lag behind it. */
record HubSpotContact(long id, Map<String, String> properties, Instant createdAt, Instant updatedAt) {
    HubSpotContact {
        properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    String get(String name) {
        return properties.get(name);
    }
}
