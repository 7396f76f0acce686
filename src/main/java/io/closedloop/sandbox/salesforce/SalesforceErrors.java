package io.closedloop.sandbox.salesforce;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sandbox.http.EmulatorException;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Error bodies: top-level arrays with errorCode (reference §6.3), per-record objects with statusCode (§3). */
final class SalesforceErrors {
    /** Numbers arrive as BigDecimal so currency values keep their scale. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SalesforceErrors() {
    }

    static EmulatorResponse error(int status, String errorCode, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        e.put("errorCode", errorCode);
        return EmulatorResponse.json(status, List.of(e));
    }

    static EmulatorResponse error(int status, SalesforceOrg.ValidationException v) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", v.getMessage());
        e.put("errorCode", v.statusCode());
        e.put("fields", v.fields());
        return EmulatorResponse.json(status, List.of(e));
    }

    static EmulatorException fail(int status, String errorCode, String message) {
        return new EmulatorException(error(status, errorCode, message));
    }

    static EmulatorException notFound() {
        return new EmulatorException(notFoundResponse());
    }

    static EmulatorResponse notFoundResponse() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("errorCode", "NOT_FOUND");
        e.put("message", "The requested resource does not exist");
        return EmulatorResponse.json(404, List.of(e));
    }

    /** One per-record error: {@code {"statusCode","message","fields"}}. */
    static Map<String, Object> recordError(String statusCode, String message, List<String> fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("statusCode", statusCode);
        e.put("message", message);
        e.put("fields", fields);
        return e;
    }

    /** Reads a JSON body; anything unreadable is 400 JSON_PARSER_ERROR. */
    static Object readJson(String body) {
        if (body == null || body.isBlank()) {
            throw fail(400, "JSON_PARSER_ERROR", "The request body is empty.");
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (IOException e) {
            throw fail(400, "JSON_PARSER_ERROR", "Unexpected character in the request body: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String body) {
        Object tree = readJson(body);
        if (!(tree instanceof Map)) {
            throw fail(400, "JSON_PARSER_ERROR", "Expected a JSON object in the request body.");
        }
        return (Map<String, Object>) tree;
    }
}
