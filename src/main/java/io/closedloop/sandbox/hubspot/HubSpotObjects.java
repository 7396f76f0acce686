package io.closedloop.sandbox.hubspot;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders a contact as a CRM v3 SimplePublicObject (§4, §5). */
final class HubSpotObjects {
    /** Returned when a request names no properties (§4). */
    static final List<String> DEFAULT_PROPERTIES = List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
    /** Always present whatever was asked for, as in the §5.1 example. */
    private static final List<String> ALWAYS = List.of("createdate", "hs_object_id", "lastmodifieddate");

    private HubSpotObjects() {
    }

    static Map<String, Object> contact(HubSpotContact c, Collection<String> requested) {
        Set<String> names = new LinkedHashSet<>(requested == null || requested.isEmpty() ? DEFAULT_PROPERTIES : requested);
        names.addAll(ALWAYS);
        Map<String, Object> props = new LinkedHashMap<>();
        // requested but unset properties come back as null (§0.1)
        names.forEach(n -> props.put(n, c.get(n)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", Long.toString(c.id()));
        out.put("properties", props);
        out.put("createdAt", HubSpotJson.iso(c.createdAt()));
        out.put("updatedAt", HubSpotJson.iso(c.updatedAt()));
        out.put("archived", false);
        return out;
    }
}
