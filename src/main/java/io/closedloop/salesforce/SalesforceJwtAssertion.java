package io.closedloop.salesforce;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed assertion of the OAuth 2.0 JWT bearer flow: RS256 over {@code {"alg":"RS256"}} and the
 * claims iss (consumer key), sub (username), aud (login host) and exp (seconds, kept within 3 minutes).
 * Shape per shared/reference/salesforce-api.md §1.2.
 */
public final class SalesforceJwtAssertion {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private SalesforceJwtAssertion() {
    }

    public static String create(String clientId, String username, URI loginUrl, RSAPrivateKey key, Instant now) {
        String header = "{\"alg\":\"RS256\"}";
        String claims = "{\"iss\":" + json(clientId) + ",\"sub\":" + json(username) + ",\"aud\":"
                + json(audience(loginUrl)) + ",\"exp\":" + (now.getEpochSecond() + 180) + "}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the JWT assertion: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Sandboxes authenticate against test.salesforce.com; everything else against login.salesforce.com. */
    static String audience(URI loginUrl) {
        String host = loginUrl.getHost() == null ? "" : loginUrl.getHost();
        if (host.equals("test.salesforce.com") || host.endsWith(".sandbox.my.salesforce.com")) {
            return "https://test.salesforce.com";
        }
        if (host.endsWith("salesforce.com")) {
            return "https://login.salesforce.com";
        }
        // a local emulator or proxy: the audience is the login URL itself
        return loginUrl.toString();
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
