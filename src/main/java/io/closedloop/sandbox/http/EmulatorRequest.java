package io.closedloop.sandbox.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One request as an emulator handler sees it: decoded query parameters, lower-cased header names, the raw body. */
public record EmulatorRequest(String method, String path, String rawQuery, Map<String, List<String>> query,
                              Map<String, String> headers, String body) {

    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The bearer token of the Authorization header, or null. */
    public String bearerToken() {
        String auth = header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }
}
