package io.closedloop.core;

import java.time.Duration;

/** The verdict on one failure: its kind, the remote code it was sorted by, and how long to wait before retrying. */
public record Classification(ErrorKind kind, String code, Duration retryAfter, String message) {
    public Classification {
        retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    public boolean retriable() {
        return kind == ErrorKind.RETRIABLE;
    }

    /** The matching exception, for routes to react to in onException. */
    public SyncException toException() {
        return switch (kind) {
            case RETRIABLE -> new RetriableSyncException(code, message, null);
            case SKIPPABLE -> new SkippableSyncException(code, message, null);
            case FATAL -> new FatalSyncException(code, message, null);
        };
    }
}
