package io.closedloop.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * Sorts every Salesforce failure into retriable, skippable or fatal (shared/reference/salesforce-api.md §6.3 and
 * §6.4): top-level REST errors and the per-record results of collections and composite subrequests by their error
 * code, bodies without a code by their status. Codes not listed park the record (skippable): nothing is dropped.
 */
public final class SalesforceErrorClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happens after the verdict, beyond the kind itself. */
    public enum Handling {
        /** Redelivered with the route's backoff, or parked with the record. */
        STANDARD,
        /** camel-salesforce has already logged in again and retried once; a second rejection stops the flow. */
        RELOGIN_ONCE_THEN_FATAL,
        /** The org is over its allocation: Salesforce is paused (SalesforceBudget), not retried. */
        PAUSE_UNTIL_ALLOCATION_RECOVERS
    }

    /** One row: an error code, its kind, the wait before a retry, and what follows. */
    record Row(String code, ErrorKind kind, Duration backoff, Handling handling) {
    }

    private static Row retriable(String code, Duration backoff) {
        return new Row(code, ErrorKind.RETRIABLE, backoff, Handling.STANDARD);
    }

    private static Row fatal(String code) {
        return new Row(code, ErrorKind.FATAL, Duration.ZERO, Handling.STANDARD);
    }

    private static Row skippable(String code) {
        return new Row(code, ErrorKind.SKIPPABLE, Duration.ZERO, Handling.STANDARD);
    }

    static final List<Row> TABLE = List.of(
            retriable("UNABLE_TO_LOCK_ROW", Duration.ofSeconds(2)),
            new Row("REQUEST_LIMIT_EXCEEDED", ErrorKind.RETRIABLE, SalesforceBudget.RECHECK, Handling.PAUSE_UNTIL_ALLOCATION_RECOVERS),
            retriable("SERVER_UNAVAILABLE", Duration.ofSeconds(5)),
            retriable("UNKNOWN_EXCEPTION", Duration.ofSeconds(1)),
            retriable("ALL_OR_NONE_OPERATION_ROLLED_BACK", Duration.ofSeconds(1)),
            retriable("PROCESSING_HALTED", Duration.ofSeconds(1)),
            new Row("INVALID_SESSION_ID", ErrorKind.FATAL, Duration.ZERO, Handling.RELOGIN_ONCE_THEN_FATAL),
            fatal("INSUFFICIENT_ACCESS"),
            fatal("API_DISABLED_FOR_ORG"),
            fatal("INVALID_TYPE"),
            // a field Closedloop writes is not deployed, or the user has no field permission at all (then Salesforce hides
            // it): missing metadata stops the flow, and health and validate name the field
            fatal("INVALID_FIELD"),
            fatal("MALFORMED_QUERY"),
            // §1.4 OAuth errors of the token endpoint
            fatal("invalid_grant"),
            fatal("invalid_client_id"),
            fatal("invalid_client"),
            fatal("unsupported_grant_type"),
            skippable("STRING_TOO_LONG"),
            skippable("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"),
            skippable("REQUIRED_FIELD_MISSING"),
            skippable("DUPLICATE_VALUE"),
            skippable("DUPLICATES_DETECTED"),
            skippable("FIELD_CUSTOM_VALIDATION_EXCEPTION"),
            skippable("CANNOT_UPDATE_CONVERTED_LEAD"),
            skippable("ENTITY_IS_DELETED"),
            skippable("MALFORMED_ID"),
            skippable("INVALID_CROSS_REFERENCE_KEY"),
            skippable("INVALID_EMAIL_ADDRESS"),
            // the field is readable but not editable for the integration user: parked with Salesforce's reason, which names
            // the field and the permission set; replayed once the admin grants edit access
            skippable("INVALID_FIELD_FOR_INSERT_UPDATE"));

    static final Map<String, Row> BY_CODE = TABLE.stream().collect(Collectors.toUnmodifiableMap(Row::code, Function.identity()));

    /** Per-record and top-level kinds by code, as before the table. */
    static final Map<String, ErrorKind> CODES = TABLE.stream().collect(Collectors.toUnmodifiableMap(Row::code, Row::kind));

    /** A body with no error code: sorted by its status. */
    record StatusRow(String covers, IntPredicate status, ErrorKind kind, Duration backoff) {
    }

    static final List<StatusRow> STATUS_TABLE = List.of(
            new StatusRow("5xx", s -> s >= 500, ErrorKind.RETRIABLE, Duration.ofSeconds(5)),
            new StatusRow("420 (undocumented throttling)", s -> s == 420, ErrorKind.RETRIABLE, Duration.ofSeconds(5)),
            new StatusRow("401/403", s -> s == 401 || s == 403, ErrorKind.FATAL, Duration.ZERO),
            new StatusRow("other", s -> true, ErrorKind.SKIPPABLE, Duration.ZERO));

    /** Codes that mean the credentials or session are rejected: the client stops calling until a restart. */
    static final Set<String> AUTH_CODES = Set.of("INVALID_SESSION_ID", "invalid_grant", "invalid_client_id", "invalid_client",
            "unsupported_grant_type", "HTTP_401");

    /** Codes that mean the cached Lead or Contact is gone or converted: forget it and retry later. */
    static final Set<String> STALE_TARGET = Set.of("ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "CANNOT_UPDATE_CONVERTED_LEAD");

    private SalesforceErrorClassifier() {
    }

    /** One error code with its message (a per-record error, or the first entry of a top-level error array). */
    public static Classification classifyCode(String code, String message) {
        Row row = BY_CODE.getOrDefault(code, new Row(code, ErrorKind.SKIPPABLE, Duration.ZERO, Handling.STANDARD));
        return new Classification(row.kind(), code, row.backoff(), "Salesforce " + code + ": " + message);
    }

    /** What follows a code beyond its kind (for the client and the tests). */
    public static Handling handling(String code) {
        Row row = BY_CODE.get(code);
        return row == null ? Handling.STANDARD : row.handling();
    }

    /** Whether a classification means the credentials are rejected. */
    public static boolean isAuthFailure(Classification c) {
        return c.kind() == ErrorKind.FATAL && AUTH_CODES.contains(c.code());
    }

    /** Whether a record was refused because the cached Lead or Contact it points at is gone or converted. */
    public static boolean isStaleTarget(String code) {
        return STALE_TARGET.contains(code);
    }

    /** The kind a refused record is parked with; codes of our own (UNMATCHED, INVALID_EMAIL) are skippable. */
    public static ErrorKind parkedKind(String code) {
        // row locks and stale identities may well succeed on the next try; the retry route picks these up
        return "UNABLE_TO_LOCK_ROW".equals(code) || isStaleTarget(code) ? ErrorKind.RETRIABLE : ErrorKind.SKIPPABLE;
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
        StatusRow row = STATUS_TABLE.stream().filter(r -> r.status().test(status)).findFirst().orElseThrow();
        return new Classification(row.kind(), "HTTP_" + status, row.backoff(), "Salesforce HTTP " + status + ": " + message);
    }

    /** Timeouts, resets and unreadable bodies are transient until proven otherwise. */
    public static Classification classify(IOException e) {
        String code = e instanceof JsonProcessingException ? "MALFORMED_RESPONSE" : e.getClass().getSimpleName();
        return new Classification(ErrorKind.RETRIABLE, code, Duration.ofSeconds(1), "Salesforce call failed: " + code);
    }

    /** A Composite answer without the result of one subrequest: nothing is known of it, so it is tried again. */
    public static Classification missingSubresponse(String what) {
        return new Classification(ErrorKind.RETRIABLE, "MISSING_SUBRESPONSE", Duration.ofSeconds(1),
                "Salesforce returned no result for " + what);
    }

    /** A failure camel-salesforce raised: its REST errors, its response body, a failed login, or the I/O beneath. */
    public static Classification classify(Throwable failure) {
        SalesforceException sf = find(failure, SalesforceException.class);
        if (sf != null) {
            List<RestError> errors = sf.getErrors();
            if (errors != null && !errors.isEmpty()) {
                RestError first = errors.get(0);
                return classifyCode(first.getErrorCode(), first.getMessage());
            }
            String content = read(sf.getResponseContent());
            if (!content.isBlank()) {
                return classify(sf.getStatusCode(), content);
            }
            String message = String.valueOf(sf.getMessage());
            // a failed login carries the OAuth error in its message, not in a REST error list
            for (String oauth : List.of("invalid_grant", "invalid_client_id", "invalid_client", "unsupported_grant_type")) {
                if (message.contains(oauth)) {
                    return new Classification(ErrorKind.FATAL, oauth, Duration.ZERO, "Salesforce login failed: " + message);
                }
            }
            if (sf.getStatusCode() > 0) {
                return classify(sf.getStatusCode(), "");
            }
        }
        IOException io = find(failure, IOException.class);
        if (io != null) {
            return classify(io);
        }
        return new Classification(ErrorKind.RETRIABLE, failure.getClass().getSimpleName(), Duration.ofSeconds(1),
                "Salesforce call failed: " + failure.getMessage());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String read(InputStream in) {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
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
