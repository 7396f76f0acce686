package io.closedloop.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of HubSpot contact enumeration properties (hubspot-api.md §4.1, §6): per property, option value to
 * label. A property the portal does not have is absent.
 */
public record HubSpotOptions(Map<String, Map<String, String>> byProperty) {
    public HubSpotOptions {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        byProperty.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        byProperty = java.util.Collections.unmodifiableMap(copy);
    }

    /** Value to label, in HubSpot's order; empty when the portal lacks the property. */
    public Optional<Map<String, String>> of(String property) {
        return Optional.ofNullable(byProperty.get(property));
    }
}
