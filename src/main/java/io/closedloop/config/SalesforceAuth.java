package io.closedloop.config;

import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;

/** How Closedloop logs in to Salesforce: exactly one OAuth flow is configured. */
public sealed interface SalesforceAuth {
    String clientId();

    /** OAuth 2.0 client-credentials flow (the connected app has a run-as user). */
    record ClientCredentials(String clientId, Secret clientSecret) implements SalesforceAuth {
    }

    /** OAuth 2.0 JWT bearer flow, signed with the connected app's private key. */
    record JwtBearer(String clientId, String username, Path keyFile, RSAPrivateKey privateKey) implements SalesforceAuth {
        @Override
        public String toString() {
            return "JwtBearer[clientId=" + clientId + ", username=" + username + ", keyFile=" + keyFile + "]";
        }
    }
}
