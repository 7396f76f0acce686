package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorFilter;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens only (§1.1, hapikey is gone); 401 bodies per §1.3. */
final class HubSpotAuth implements EmulatorFilter {
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final HubSpotErrors errors;

    HubSpotAuth(Set<String> tokens, HubSpotErrors errors) {
        this.tokens.addAll(tokens);
        this.errors = errors;
    }

    void expire(String token) {
        expired.add(token);
    }

    void addToken(String token) {
        tokens.add(token);
        expired.remove(token);
    }

    @Override
    public EmulatorResponse before(String endpoint, EmulatorRequest request) {
        String token = request.bearerToken();
        if (token == null || token.isEmpty()) {
            return errors.response(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        if (expired.contains(token)) {
            return errors.response(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 0 hour(s) ago.");
        }
        if (!tokens.contains(token)) {
            return errors.response(401, "INVALID_AUTHENTICATION", "The OAuth token used to make this call is not valid.");
        }
        return null;
    }
}
