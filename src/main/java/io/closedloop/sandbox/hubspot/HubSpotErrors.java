package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorException;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** HubSpot's error bodies (§11.3, §1.3, §11.2) with seeded correlation ids so runs are reproducible. */
final class HubSpotErrors {
    private final Random random;

    HubSpotErrors(long seed) {
        this.random = new Random(seed ^ 0x5EED_E770L);
    }

    String correlationId() {
        long hi;
        long lo;
        synchronized (random) {
            hi = random.nextLong();
            lo = random.nextLong();
        }
        // shape it as a version-4 UUID, like HubSpot's correlation ids
        hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
        lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** The generic body of §11.3. */
    Map<String, Object> body(String category, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", correlationId());
        body.put("category", category);
        return body;
    }

    EmulatorResponse response(int status, String category, String message) {
        return EmulatorResponse.json(status, body(category, message));
    }

    EmulatorException fail(int status, String category, String message) {
        return new EmulatorException(response(status, category, message));
    }

    EmulatorException validation(String message) {
        return fail(400, "VALIDATION_ERROR", message);
    }

    EmulatorException notFound(String message) {
        return fail(404, "OBJECT_NOT_FOUND", message);
    }

    /** 400 whose message embeds the property errors as a JSON array, as observed on writes (§5.2). */
    EmulatorException invalidProperties(List<Map<String, Object>> propertyErrors) {
        return new EmulatorException(EmulatorResponse.json(400, body("VALIDATION_ERROR", propertyErrorsMessage(propertyErrors))));
    }

    static String propertyErrorsMessage(List<Map<String, Object>> propertyErrors) {
        return "Property values were not valid: " + HubSpotJson.write(propertyErrors);
    }

    /** The 429 of §11.2 for the 10-second and daily policies. */
    Map<String, Object> rateLimit(String policyName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", "DAILY".equals(policyName) ? "You have reached your daily limit."
                : "You have reached your " + policyName.toLowerCase(java.util.Locale.ROOT) + " limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", correlationId());
        body.put("policyName", policyName);
        return body;
    }

    /** The older search-limit 429 (§11.2): no errorType or policyName. */
    Map<String, Object> secondlyLimit() {
        return body("RATE_LIMITS", "You have reached your secondly limit.");
    }
}
