package io.closedloop.core;

/** A {@link SyncException} of kind {@link ErrorKind#RETRIABLE}; its own type so routes can match it in onException. */
public class RetriableSyncException extends SyncException {
    public RetriableSyncException(String message) {
        super(ErrorKind.RETRIABLE, null, message, null);
    }

    public RetriableSyncException(String code, String message, Throwable cause) {
        super(ErrorKind.RETRIABLE, code, message, cause);
    }
}
