package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.FaultRenderer;

/** Injected faults in HubSpot's shapes: 429 per policy (§11.2), other statuses in the generic body (§11.3). */
final class HubSpotFaultRenderer implements FaultRenderer {
    private final HubSpotErrors errors;

    HubSpotFaultRenderer(HubSpotErrors errors) {
        this.errors = errors;
    }

    @Override
    public EmulatorResponse serverError(int status, EmulatorRequest request) {
        // category names for these statuses are not documented (§11.3): clients must branch on the status
        EmulatorResponse response = switch (status) {
            case 423 -> errors.response(423, "LOCKED", "The record set is locked by another update; retry after 2 seconds.");
            case 477 -> errors.response(477, "MIGRATION_IN_PROGRESS", "This account is being migrated between data centres.");
            case 502, 504 -> errors.response(status, "INTERNAL_ERROR", "The request exceeded processing limits; retry in a few seconds.");
            default -> errors.response(status, "INTERNAL_ERROR", "An internal error occurred.");
        };
        // 477 tells the client how long to stay away (§11.3); 60 s keeps tests short
        return status == 477 ? response.withHeader("Retry-After", "60") : response;
    }

    @Override
    public EmulatorResponse rateLimited(String variant, EmulatorRequest request) {
        String policy = variant == null ? "TEN_SECONDLY_ROLLING" : variant;
        if ("SECONDLY".equals(policy)) {
            return EmulatorResponse.json(429, errors.secondlyLimit());
        }
        return EmulatorResponse.json(429, errors.rateLimit(policy));
    }

    @Override
    public EmulatorResponse notFound(EmulatorRequest request) {
        return errors.response(404, "OBJECT_NOT_FOUND", "resource not found: " + request.method() + " " + request.path());
    }
}
