package io.closedloop.sandbox.salesforce.soql;

/** A query the org refuses: MALFORMED_QUERY, INVALID_FIELD or INVALID_TYPE, answered as HTTP 400. */
public final class SoqlException extends RuntimeException {
    private final String errorCode;

    public SoqlException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }

    static SoqlException malformed(String message) {
        return new SoqlException("MALFORMED_QUERY", message);
    }
}
