package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sync.Classification;
import io.closedloop.sync.ErrorKind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Sorts every HubSpot failure into retriable, skippable or fatal (shared/reference/hubspot-api.md §11):
 * branch on the status first, then on policyName, then on the message, as the reference says.
 */
public final class HubSpotErrorClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of the table: statuses it covers, the kind, a default wait. */
    private record Row(IntPredicate status, ErrorKind kind, String code, Duration backoff) {
    }

    /** 429s by policy (checked before the status table). Search-style 429s carry only the message. */
    private static final Map<String, Duration> RATE_LIMIT_POLICIES = Map.of(
            "TEN_SECONDLY_ROLLING", Duration.ofSeconds(10),
            "SECONDLY", Duration.ofSeconds(1),
            "DAILY", Duration.ofHours(1));

    private static final List<Row> STATUS_TABLE = List.of(
            new Row(s -> s == 401, ErrorKind.FATAL, "INVALID_AUTHENTICATION", Duration.ZERO),
            new Row(s -> s == 403, ErrorKind.FATAL, "MISSING_SCOPES", Duration.ZERO),
            new Row(s -> s == 423, ErrorKind.RETRIABLE, "LOCKED", Duration.ofSeconds(2)),
            new Row(s -> s == 477, ErrorKind.RETRIABLE, "MIGRATION_IN_PROGRESS", Duration.ofMinutes(5)),
            new Row(s -> s == 404, ErrorKind.SKIPPABLE, "OBJECT_NOT_FOUND", Duration.ZERO),
            new Row(s -> s == 409, ErrorKind.SKIPPABLE, "CONFLICT", Duration.ZERO),
            new Row(s -> s >= 500, ErrorKind.RETRIABLE, "SERVER_ERROR", Duration.ofSeconds(1)),
            new Row(s -> s >= 400, ErrorKind.SKIPPABLE, "VALIDATION_ERROR", Duration.ZERO));

    private HubSpotErrorClassifier() {
    }

    /** Classifies a non-2xx response. {@code retryAfter} is the Retry-After header value, or null. */
    public static Classification classify(int status, String body, String retryAfter) {
        JsonNode json = parse(body);
        String message = json.path("message").asText("HTTP " + status);
        if (status == 429) {
            String policy = json.path("policyName").asText("");
            if (policy.isEmpty() && message.contains("secondly limit")) {
                policy = "SECONDLY";
            }
            Duration wait = RATE_LIMIT_POLICIES.getOrDefault(policy, Duration.ofSeconds(10));
            Duration header = retryAfter(retryAfter);
            return new Classification(ErrorKind.RETRIABLE, policy.isEmpty() ? "RATE_LIMIT" : policy,
                    header != null ? header : wait, "HubSpot rate limit " + (policy.isEmpty() ? "" : policy + " ") + "(HTTP 429): " + message);
        }
        for (Row row : STATUS_TABLE) {
            if (row.status().test(status)) {
                String category = json.path("category").asText("");
                String code = category.isEmpty() ? row.code() : category;
                Duration header = retryAfter(retryAfter);
                return new Classification(row.kind(), code, header != null ? header : row.backoff(),
                        "HubSpot HTTP " + status + " " + code + ": " + message);
            }
        }
        return new Classification(ErrorKind.SKIPPABLE, "HTTP_" + status, Duration.ZERO, "HubSpot HTTP " + status + ": " + message);
    }

    /** I/O failures (timeouts, resets) and unparseable bodies are transient until proven otherwise. */
    public static Classification classify(IOException e) {
        String code = e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "MALFORMED_RESPONSE" : e.getClass().getSimpleName();
        return new Classification(ErrorKind.RETRIABLE, code, Duration.ofSeconds(1), "HubSpot call failed: " + code);
    }

    /** Seconds when at most 60, else milliseconds (hubspot-api.md §11.2; the unit differs by context). */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(header.trim());
            return n <= 60 ? Duration.ofSeconds(n) : Duration.ofMillis(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** One item's error inside a 207 body (hubspot-api.md §5.1, §7.1): gone or invalid items are skipped, the rest retried. */
    public static Classification itemError(com.fasterxml.jackson.databind.JsonNode error) {
        String category = error.path("category").asText("UNKNOWN");
        String message = category + ": " + error.path("message").asText("");
        return switch (category) {
            case "RATE_LIMITS", "LOCKED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE" ->
                    new Classification(ErrorKind.RETRIABLE, category, java.time.Duration.ofSeconds(2), message);
            default -> new Classification(ErrorKind.SKIPPABLE, category, java.time.Duration.ZERO, message);
        };
    }
}
