package io.closedloop.hubspot;

import io.closedloop.core.HubSpotOptions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the options of contact enumeration properties in one call, {@code GET /crm/v3/properties/contacts}
 * (hubspot-api.md §6: {@code results[].options[] {label, value}}), for the mapping check, {@code init} and {@code plan}.
 */
public final class HubSpotPropertyOptions {
    private HubSpotPropertyOptions() {
    }

    public static HubSpotOptions read(HubSpotClient client, Collection<String> properties) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        client.get("/crm/v3/properties/contacts", Map.of()).body().path("results").forEach(p -> {
            String name = p.path("name").asText();
            if (properties.contains(name)) {
                Map<String, String> options = new LinkedHashMap<>();
                p.path("options").forEach(o -> {
                    if (!o.path("hidden").asBoolean(false)) {
                        options.put(o.path("value").asText(), o.path("label").asText());
                    }
                });
                out.put(name, options);
            }
        });
        return new HubSpotOptions(out);
    }
}
