package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.FaultRenderer;

/** Injected faults in Salesforce's shapes: 5xx arrays, 403 REQUEST_LIMIT_EXCEEDED, 404 NOT_FOUND. */
final class SalesforceFaultRenderer implements FaultRenderer {
    @Override
    public EmulatorResponse serverError(int status, EmulatorRequest request) {
        return status == 500
                ? SalesforceErrors.error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this"
                        + " ErrorId if you contact support: 1234567890-12345 (-1234567890)")
                : SalesforceErrors.error(status, "SERVER_UNAVAILABLE", "Server is temporarily unavailable. Please try again.");
    }

    /** Salesforce has no 429: an exhausted allocation is 403 (reference §6.3). */
    @Override
    public EmulatorResponse rateLimited(String variant, EmulatorRequest request) {
        return SalesforceErrors.error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    }

    @Override
    public EmulatorResponse notFound(EmulatorRequest request) {
        return SalesforceErrors.notFoundResponse();
    }
}
