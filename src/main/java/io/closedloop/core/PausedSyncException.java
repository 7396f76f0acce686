package io.closedloop.core;

import java.time.Instant;

/**
 * A call that was not made because its API is paused (budget spent, limit reached, circuit open). Retriable, but
 * routes do not redeliver it: the poll ends, the cursor stays, and the flow waits for {@link #until()}.
 */
public class PausedSyncException extends RetriableSyncException {
    private final String api;
    private final Instant until;

    public PausedSyncException(String api, String code, String message, Instant until) {
        super(code, message, null);
        this.api = api;
        this.until = until;
    }

    /** The paused API: "hubspot" or "salesforce". */
    public String api() {
        return api;
    }

    /** When a call may be tried again. */
    public Instant until() {
        return until;
    }
}
