package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sync.Classification;
import io.closedloop.sync.ErrorKind;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Sorts every Salesforce failure into retriable, skippable or fatal (shared/reference/salesforce-api.md
 * §6.3 and §6.4): top-level REST errors by code, and the per-record codes of collection results.
 */
public final class SalesforceErrorClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per-record and top-level error codes. Codes not listed park the record (skippable): nothing is dropped. */
    static final Map<String, ErrorKind> CODES = Map.ofEntries(
            Map.entry("UNABLE_TO_LOCK_ROW", ErrorKind.RETRIABLE),
            Map.entry("REQUEST_LIMIT_EXCEEDED", ErrorKind.RETRIABLE),
            Map.entry("SERVER_UNAVAILABLE", ErrorKind.RETRIABLE),
            Map.entry("UNKNOWN_EXCEPTION", ErrorKind.RETRIABLE),
            Map.entry("ALL_OR_NONE_OPERATION_ROLLED_BACK", ErrorKind.RETRIABLE),
            Map.entry("PROCESSING_HALTED", ErrorKind.RETRIABLE),
            Map.entry("INVALID_SESSION_ID", ErrorKind.FATAL),
            Map.entry("INSUFFICIENT_ACCESS", ErrorKind.FATAL),
            Map.entry("API_DISABLED_FOR_ORG", ErrorKind.FATAL),
            Map.entry("INVALID_TYPE", ErrorKind.FATAL),
            // a field Closedloop writes is not deployed: missing metadata stops the flow
            Map.entry("INVALID_FIELD", ErrorKind.FATAL),
            Map.entry("MALFORMED_QUERY", ErrorKind.FATAL),
            Map.entry("invalid_grant", ErrorKind.FATAL),
            Map.entry("invalid_client_id", ErrorKind.FATAL),
            Map.entry("invalid_client", ErrorKind.FATAL),
            Map.entry("unsupported_grant_type", ErrorKind.FATAL),
            Map.entry("STRING_TOO_LONG", ErrorKind.SKIPPABLE),
            Map.entry("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ErrorKind.SKIPPABLE),
            Map.entry("REQUIRED_FIELD_MISSING", ErrorKind.SKIPPABLE),
            Map.entry("DUPLICATE_VALUE", ErrorKind.SKIPPABLE),
            Map.entry("DUPLICATES_DETECTED", ErrorKind.SKIPPABLE),
            Map.entry("FIELD_CUSTOM_VALIDATION_EXCEPTION", ErrorKind.SKIPPABLE),
            Map.entry("CANNOT_UPDATE_CONVERTED_LEAD", ErrorKind.SKIPPABLE),
            Map.entry("ENTITY_IS_DELETED", ErrorKind.SKIPPABLE),
            Map.entry("MALFORMED_ID", ErrorKind.SKIPPABLE),
            Map.entry("INVALID_CROSS_REFERENCE_KEY", ErrorKind.SKIPPABLE),
            Map.entry("INVALID_EMAIL_ADDRESS", ErrorKind.SKIPPABLE),
            Map.entry("INVALID_FIELD_FOR_INSERT_UPDATE", ErrorKind.SKIPPABLE));

    /** How long to back off for each retriable code. */
    private static final Map<String, Duration> WAITS = Map.of(
            "UNABLE_TO_LOCK_ROW", Duration.ofSeconds(2),
            "REQUEST_LIMIT_EXCEEDED", Duration.ofMinutes(15),
            "SERVER_UNAVAILABLE", Duration.ofSeconds(5));

    private SalesforceErrorClassifier() {
    }

    /** One error code with its message (a per-record error, or the first entry of a top-level error array). */
    public static Classification classifyCode(String code, String message) {
        ErrorKind kind = CODES.getOrDefault(code, ErrorKind.SKIPPABLE);
        return new Classification(kind, code, WAITS.getOrDefault(code, kind == ErrorKind.RETRIABLE ? Duration.ofSeconds(1) : Duration.ZERO),
                "Salesforce " + code + ": " + message);
    }

    /** A non-2xx response: a JSON array of {message, errorCode}, or an OAuth {error, error_description}. */
    public static Classification classify(int status, String body) {
        JsonNode json = parse(body);
        JsonNode first = json.isArray() && !json.isEmpty() ? json.get(0) : json;
        String code = first.path("errorCode").asText(first.path("error").asText(""));
        String message = first.path("message").asText(first.path("error_description").asText("HTTP " + status));
        if (!code.isEmpty()) {
            return classifyCode(code, message);
        }
        if (status >= 500 || status == 420) {
            return new Classification(ErrorKind.RETRIABLE, "HTTP_" + status, Duration.ofSeconds(5), "Salesforce HTTP " + status + ": " + message);
        }
        if (status == 401 || status == 403) {
            return new Classification(ErrorKind.FATAL, "HTTP_" + status, Duration.ZERO, "Salesforce HTTP " + status + ": " + message);
        }
        return new Classification(ErrorKind.SKIPPABLE, "HTTP_" + status, Duration.ZERO, "Salesforce HTTP " + status + ": " + message);
    }

    public static Classification classify(IOException e) {
        String code = e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "MALFORMED_RESPONSE" : e.getClass().getSimpleName();
        return new Classification(ErrorKind.RETRIABLE, code, Duration.ofSeconds(1), "Salesforce call failed: " + code);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
