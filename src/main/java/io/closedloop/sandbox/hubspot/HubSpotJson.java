package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** JSON and timestamp helpers shared by the handlers. */
final class HubSpotJson {
    /** CRM v3 timestamps always carry milliseconds and Z (§0.1); Instant.toString drops zero millis. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private HubSpotJson() {
    }

    static String iso(Instant instant) {
        return ISO.format(instant);
    }

    static String iso(long epochMs) {
        return ISO.format(Instant.ofEpochMilli(epochMs));
    }

    /** ISO-8601 instants already parsed: a CRM search compares every contact's timestamps, and the same ones each time. */
    private static final Map<String, Long> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 200_000;

    /** Epoch ms from a ms string or an ISO-8601 instant, or null when it is neither. */
    static Long parseTime(String value, boolean allowIso) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (digits(v)) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                // too long for a long: not a time
                return null;
            }
        }
        if (!allowIso) {
            return null;
        }
        Long cached = PARSED.get(v);
        if (cached != null) {
            return cached;
        }
        try {
            long ms = Instant.parse(v).toEpochMilli();
            if (PARSED.size() >= PARSED_MAX) {
                PARSED.clear();
            }
            PARSED.put(v, ms);
            return ms;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An optional sign, then only ASCII digits: what Long.parseLong takes, checked without an exception per value. */
    private static boolean digits(String v) {
        int start = v.startsWith("-") || v.startsWith("+") ? 1 : 0;
        if (v.length() == start) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    static String write(Object value) {
        try {
            return EmulatorResponse.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request body as a tree; an empty body reads as {} and broken JSON is a 400. */
    static JsonNode body(String raw, HubSpotErrors errors) {
        if (raw == null || raw.isBlank()) {
            return EmulatorResponse.JSON.createObjectNode();
        }
        try {
            JsonNode node = EmulatorResponse.JSON.readTree(raw);
            if (node == null || !node.isObject()) {
                throw errors.validation("Invalid input JSON: expected an object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw errors.validation("Invalid input JSON on line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    static JsonNode path(JsonNode node, String field) {
        JsonNode child = node == null ? null : node.get(field);
        return child == null || child.isNull() ? MissingNode.getInstance() : child;
    }

    /** A property value as HubSpot stores it: always text (§0.1). */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    static String base64(String raw) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Decodes an opaque cursor, or null when it is not one of ours. */
    static String unbase64(String token) {
        try {
            return new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An int query parameter, its default when absent, a 400 when malformed or out of range. */
    static int intParam(String raw, int dflt, int min, int max, String name, HubSpotErrors errors) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw errors.validation(name + " must be an integer, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw errors.validation(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
