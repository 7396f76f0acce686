package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorFilter;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.EmulatorServer;
import java.util.Set;

/** Session check, the daily API allocation and the Sforce-Limit-Info header (reference §6.2, §9.2). */
final class SalesforceApiGuard implements EmulatorFilter, EmulatorServer.Decorator {
    /** Login and the versions resource neither need a session nor count toward the limit. */
    private static final Set<String> FREE = Set.of("salesforce.token", "salesforce.revoke", "salesforce.versions",
            "salesforce.unknown");

    private final SalesforceOAuthHandler oauth;
    private final SalesforceOrg org;
    private final long dailyLimit;

    SalesforceApiGuard(SalesforceOAuthHandler oauth, SalesforceOrg org, long dailyLimit) {
        this.oauth = oauth;
        this.org = org;
        this.dailyLimit = dailyLimit;
    }

    @Override
    public EmulatorResponse before(String endpoint, EmulatorRequest request) {
        if (FREE.contains(endpoint)) {
            return null;
        }
        if (!oauth.valid(request.bearerToken())) {
            return SalesforceErrors.error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        if (!org.consumeApiCall(dailyLimit)) {
            return withUsage(SalesforceErrors.error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        }
        return null;
    }

    @Override
    public EmulatorResponse after(String endpoint, EmulatorRequest request, EmulatorResponse response) {
        return FREE.contains(endpoint) ? response : withUsage(response);
    }

    private EmulatorResponse withUsage(EmulatorResponse response) {
        return response.withHeader("Sforce-Limit-Info", "api-usage=" + org.apiCallsToday() + "/" + dailyLimit);
    }
}
