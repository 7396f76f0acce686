package io.closedloop.core;

/** A classified failure. Routes react to the kind: redeliver, park, or stop the flow. */
public class SyncException extends RuntimeException {
    private final ErrorKind kind;
    private final String code;

    public SyncException(ErrorKind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The remote error code (e.g. INVALID_FIELD, TEN_SECONDLY_ROLLING), or null. */
    public String code() {
        return code;
    }
}
