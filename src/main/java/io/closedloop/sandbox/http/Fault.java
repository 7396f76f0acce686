package io.closedloop.sandbox.http;

import java.time.Duration;

/** A failure the emulator injects instead of (or on top of) the normal answer. */
public record Fault(Kind kind, int status, String variant, Duration delay) {
    public enum Kind {
        /** An HTTP error status (5xx), with the system's documented error body. */
        SERVER_ERROR,
        /** HTTP 429 (HubSpot) or 403 REQUEST_LIMIT_EXCEEDED (Salesforce); the variant names the limit. */
        RATE_LIMIT,
        /** The connection is closed without a response. */
        CONNECTION_RESET,
        /** The normal response with its body cut in half. */
        MALFORMED_BODY,
        /** The normal response, after a delay (longer than the client's timeout, if that is the point). */
        SLOW
    }

    public static Fault serverError(int status) {
        return new Fault(Kind.SERVER_ERROR, status, null, Duration.ZERO);
    }

    /** @param variant e.g. TEN_SECONDLY_ROLLING, DAILY, SECONDLY (HubSpot) or REQUEST_LIMIT_EXCEEDED (Salesforce) */
    public static Fault rateLimit(String variant) {
        return new Fault(Kind.RATE_LIMIT, 429, variant, Duration.ZERO);
    }

    /** A rate limit that also sends {@code Retry-After} in whole seconds. */
    public static Fault rateLimit(String variant, Duration retryAfter) {
        return new Fault(Kind.RATE_LIMIT, 429, variant, retryAfter);
    }

    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, null, Duration.ZERO);
    }

    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED_BODY, 200, null, Duration.ZERO);
    }

    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, 200, null, delay);
    }
}
