package io.closedloop.core;

/** A {@link SyncException} of kind {@link ErrorKind#FATAL}; its own type so routes can match it in onException. */
public class FatalSyncException extends SyncException {
    public FatalSyncException(String message) {
        super(ErrorKind.FATAL, null, message, null);
    }

    public FatalSyncException(String code, String message, Throwable cause) {
        super(ErrorKind.FATAL, code, message, cause);
    }
}
