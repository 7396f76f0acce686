package io.closedloop.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Sorts every HubSpot failure into retriable, skippable or fatal (shared/reference/hubspot-api.md §11): one table,
 * read top to bottom, first match wins. It branches on the status first, then on policyName, then on the message,
 * as the reference says. {@link HubSpotBudget} acts on the wait: a 429 or a Retry-After holds the next call back,
 * DAILY pauses HubSpot until the daily reset.
 */
public final class HubSpotErrorClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a row's wait comes from. */
    public enum Delay {
        /** No wait: not retried. */
        NONE,
        /** The server's Retry-After header if it sent one, else the row's default. */
        RETRY_AFTER_OR_DEFAULT,
        /** Until the daily limit resets (midnight); the row's default is only the re-check interval. */
        DAILY_RESET
    }

    /** The parts of an error body the table matches on; every field is optional (§11.3). */
    record Body(String policy, String message, String category) {
    }

    /** One row: which responses it covers, their kind, the code they are reported by, the wait and its source. */
    record Row(String covers, IntPredicate status, Predicate<Body> body, ErrorKind kind, String code, Duration backoff, Delay delay) {
    }

    static final List<Row> TABLE = List.of(
            // §11.2: 429 by policyName, then by message for the search-style body that has no policyName
            new Row("429 DAILY", s -> s == 429, b -> b.policy().equals("DAILY"), ErrorKind.RETRIABLE, "DAILY", Duration.ofHours(1), Delay.DAILY_RESET),
            new Row("429 daily message", s -> s == 429, b -> b.policy().isEmpty() && b.message().contains("daily limit"), ErrorKind.RETRIABLE,
                    "DAILY", Duration.ofHours(1), Delay.DAILY_RESET),
            new Row("429 TEN_SECONDLY_ROLLING", s -> s == 429, b -> b.policy().equals("TEN_SECONDLY_ROLLING"), ErrorKind.RETRIABLE,
                    "TEN_SECONDLY_ROLLING", Duration.ofSeconds(10), Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("429 SECONDLY", s -> s == 429, b -> b.policy().equals("SECONDLY"), ErrorKind.RETRIABLE, "SECONDLY", Duration.ofSeconds(1),
                    Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("429 search (secondly message)", s -> s == 429, b -> b.policy().isEmpty() && b.message().contains("secondly limit"),
                    ErrorKind.RETRIABLE, "SECONDLY", Duration.ofSeconds(1), Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("429 other policy", s -> s == 429, b -> !b.policy().isEmpty(), ErrorKind.RETRIABLE, null, Duration.ofSeconds(10),
                    Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("429 no body", s -> s == 429, b -> true, ErrorKind.RETRIABLE, "RATE_LIMIT", Duration.ofSeconds(10), Delay.RETRY_AFTER_OR_DEFAULT),
            // §1.3: a rejected token or missing scope needs an operator; the client stops calling until restart
            new Row("401", s -> s == 401, b -> true, ErrorKind.FATAL, "INVALID_AUTHENTICATION", Duration.ZERO, Delay.NONE),
            new Row("403", s -> s == 403, b -> true, ErrorKind.FATAL, "MISSING_SCOPES", Duration.ZERO, Delay.NONE),
            // §11.3
            new Row("423", s -> s == 423, b -> true, ErrorKind.RETRIABLE, "LOCKED", Duration.ofSeconds(2), Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("477", s -> s == 477, b -> true, ErrorKind.RETRIABLE, "MIGRATION_IN_PROGRESS", Duration.ofMinutes(5), Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("404", s -> s == 404, b -> true, ErrorKind.SKIPPABLE, "OBJECT_NOT_FOUND", Duration.ZERO, Delay.NONE),
            new Row("409", s -> s == 409, b -> true, ErrorKind.SKIPPABLE, "CONFLICT", Duration.ZERO, Delay.NONE),
            new Row("5xx", s -> s >= 500, b -> true, ErrorKind.RETRIABLE, "SERVER_ERROR", Duration.ofSeconds(1), Delay.RETRY_AFTER_OR_DEFAULT),
            new Row("other 4xx", s -> s >= 400, b -> true, ErrorKind.SKIPPABLE, "VALIDATION_ERROR", Duration.ZERO, Delay.NONE));

    /** One row for a failed item inside a 207 response ({@code errors[]}), by its category. */
    record ItemRow(String category, ErrorKind kind, Duration backoff) {
    }

    static final List<ItemRow> ITEM_TABLE = List.of(
            new ItemRow("OBJECT_NOT_FOUND", ErrorKind.SKIPPABLE, Duration.ZERO),
            new ItemRow("VALIDATION_ERROR", ErrorKind.SKIPPABLE, Duration.ZERO),
            new ItemRow("CONFLICT", ErrorKind.SKIPPABLE, Duration.ZERO),
            new ItemRow("RATE_LIMITS", ErrorKind.RETRIABLE, Duration.ofSeconds(1)),
            // §5.2, §11.3: a locked record set frees itself in about 2 s
            new ItemRow("LOCKED", ErrorKind.RETRIABLE, Duration.ofSeconds(2)),
            new ItemRow("INTERNAL_ERROR", ErrorKind.RETRIABLE, Duration.ofSeconds(1)),
            // §11.3: 5xx is retried, as the status table does for a whole response
            new ItemRow("SERVICE_UNAVAILABLE", ErrorKind.RETRIABLE, Duration.ofSeconds(1)));

    /** The code of an item error that names no category. */
    static final String UNKNOWN_ITEM = "UNKNOWN";

    /** One row for a call that produced no readable response. */
    record IoRow(String covers, Predicate<IOException> matches, String code) {
    }

    static final List<IoRow> IO_TABLE = List.of(
            new IoRow("malformed JSON", e -> e instanceof JsonProcessingException, "MALFORMED_RESPONSE"),
            new IoRow("timeout", e -> e instanceof java.net.SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException
                    || String.valueOf(e.getMessage()).contains("timed out"), null),
            new IoRow("connection reset or refused", e -> e instanceof java.net.SocketException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset"), null),
            new IoRow("other I/O", e -> true, null));

    private HubSpotErrorClassifier() {
    }

    /** Classifies a non-2xx response. {@code retryAfter} is the Retry-After header value, or null. */
    public static Classification classify(int status, String body, String retryAfter) {
        JsonNode json = parse(body);
        Body b = new Body(json.path("policyName").asText(""), json.path("message").asText("HTTP " + status), json.path("category").asText(""));
        Row row = TABLE.stream().filter(r -> r.status().test(status) && r.body().test(b)).findFirst().orElse(null);
        if (row == null) {
            return new Classification(ErrorKind.SKIPPABLE, "HTTP_" + status, Duration.ZERO, "HubSpot HTTP " + status + ": " + b.message());
        }
        Duration header = row.delay() == Delay.RETRY_AFTER_OR_DEFAULT ? retryAfter(retryAfter) : null;
        Duration wait = header != null ? header : row.backoff();
        if (status == 429) {
            String code = row.code() != null ? row.code() : b.policy();
            return new Classification(row.kind(), code, wait, "HubSpot rate limit " + code + " (HTTP 429): " + b.message());
        }
        String code = b.category().isEmpty() ? row.code() : b.category();
        return new Classification(row.kind(), code, wait, "HubSpot HTTP " + status + " " + code + ": " + b.message());
    }

    /**
     * One failed item inside a 207 multi-status response ({@code errors[]}, hubspot-api.md §5.1, §7.1), by its
     * category: gone or invalid items are skipped, items HubSpot could not handle right now are retried.
     */
    public static Classification classifyItem(JsonNode error) {
        String category = error.path("category").asText("");
        String code = category.isEmpty() ? UNKNOWN_ITEM : category;
        ItemRow row = ITEM_TABLE.stream().filter(r -> r.category().equals(category)).findFirst()
                .orElse(new ItemRow(category, ErrorKind.SKIPPABLE, Duration.ZERO));
        // the parked reason reads "<category>: <HubSpot's message>"
        return new Classification(row.kind(), code, row.backoff(), code + ": " + error.path("message").asText(""));
    }

    /** I/O failures (timeouts, resets) and unparseable bodies are transient until proven otherwise. */
    public static Classification classify(IOException e) {
        IoRow row = IO_TABLE.stream().filter(r -> r.matches().test(e)).findFirst().orElseThrow();
        String code = row.code() != null ? row.code() : e.getClass().getSimpleName();
        return new Classification(ErrorKind.RETRIABLE, code, Duration.ofSeconds(1), "HubSpot call failed (" + row.covers() + "): " + code);
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
}
