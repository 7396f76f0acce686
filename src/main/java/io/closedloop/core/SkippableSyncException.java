package io.closedloop.core;

/** A {@link SyncException} of kind {@link ErrorKind#SKIPPABLE}; its own type so routes can match it in onException. */
public class SkippableSyncException extends SyncException {
    public SkippableSyncException(String message) {
        super(ErrorKind.SKIPPABLE, null, message, null);
    }

    public SkippableSyncException(String code, String message, Throwable cause) {
        super(ErrorKind.SKIPPABLE, code, message, cause);
    }
}
