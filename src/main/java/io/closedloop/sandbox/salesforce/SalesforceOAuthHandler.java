package io.closedloop.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.EmulatorServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The token endpoint (reference §1): client credentials, username-password and JWT bearer; plus revoke and sessions. */
final class SalesforceOAuthHandler {
    static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    private final SalesforceEmulator.Config config;
    private final SalesforceOrg org;
    private final Supplier<String> baseUrl;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Random random;

    SalesforceOAuthHandler(SalesforceEmulator.Config config, SalesforceOrg org, Supplier<String> baseUrl) {
        this.config = config;
        this.org = org;
        this.baseUrl = baseUrl;
        this.random = new Random(config.seed() ^ 0x5EED);
    }

    EmulatorResponse token(EmulatorRequest request) {
        Map<String, List<String>> form = EmulatorServer.parseForm(request.body());
        String grant = first(form, "grant_type");
        if (grant == null || !(grant.equals("client_credentials") || grant.equals("password") || grant.equals(JWT_GRANT))) {
            return oauthError("unsupported_grant_type", "grant type not supported");
        }
        if (grant.equals(JWT_GRANT)) {
            EmulatorResponse refused = checkJwt(first(form, "assertion"));
            return refused != null ? refused : issue(false);
        }
        if (!config.clientId().equals(first(form, "client_id"))) {
            return oauthError("invalid_client_id", "client identifier invalid");
        }
        if (!config.clientSecret().equals(first(form, "client_secret"))) {
            return oauthError("invalid_client", "invalid client credentials");
        }
        if (grant.equals("password")) {
            String password = first(form, "password");
            // the security token is appended to the password unless the caller's IP is trusted (§1.3)
            if (!config.username().equalsIgnoreCase(first(form, "username")) || password == null
                    || !password.startsWith(config.password())) {
                return oauthError("invalid_grant", "authentication failure");
            }
        }
        return issue(grant.equals("client_credentials"));
    }

    EmulatorResponse revoke(EmulatorRequest request) {
        String token = request.param("token");
        if (token == null) {
            token = first(EmulatorServer.parseForm(request.body()), "token");
        }
        if (token != null) {
            sessions.remove(token);
        }
        return EmulatorResponse.text(200, "text/plain", "");
    }

    boolean valid(String token) {
        return token != null && sessions.contains(token);
    }

    void expireAll() {
        sessions.clear();
    }

    private EmulatorResponse issue(boolean clientCredentials) {
        String token = newToken();
        sessions.add(token);
        String base = baseUrl.get();
        String id = base + "/id/" + org.orgId() + "/" + org.userId();
        String issuedAt = Long.toString(config.clock().millis());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("signature", signature(id + issuedAt));
        if (clientCredentials) {
            body.put("token_format", "opaque");
        }
        body.put("scope", "api");
        body.put("instance_url", base);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return EmulatorResponse.json(200, body);
    }

    /** Null when the assertion is acceptable, else the OAuth error (standard RFC 7523 shape, §1.4). */
    private EmulatorResponse checkJwt(String assertion) {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        JsonNode header;
        JsonNode claims;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            header = SalesforceErrors.JSON.readTree(b64.decode(parts[0]));
            claims = SalesforceErrors.JSON.readTree(b64.decode(parts[1]));
            if (config.jwtPublicKey() != null) {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(config.jwtPublicKey());
                rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                if (!rsa.verify(b64.decode(parts[2]))) {
                    return oauthError("invalid_grant", "invalid assertion");
                }
            }
        } catch (IllegalArgumentException | java.io.IOException | GeneralSecurityException e) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (!"RS256".equals(header.path("alg").asText())) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (!config.clientId().equals(claims.path("iss").asText())) {
            return oauthError("invalid_client_id", "client identifier invalid");
        }
        if (!config.username().equalsIgnoreCase(claims.path("sub").asText())) {
            return oauthError("invalid_grant", "user hasn't approved this consumer");
        }
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= config.clock().instant().getEpochSecond()) {
            return oauthError("invalid_grant", "expired authorization code");
        }
        return null;
    }

    private String newToken() {
        StringBuilder sb = new StringBuilder(org.orgId().substring(0, 15)).append("!AQ");
        synchronized (random) {
            for (int i = 0; i < 96; i++) {
                sb.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
            }
        }
        return sb.toString();
    }

    /** HMAC-SHA256 over id + issued_at keyed with the client secret (§1.1; the algorithm is UNCONFIRMED). */
    private String signature(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmulatorResponse oauthError(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return EmulatorResponse.json(400, body);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
