package io.closedloop.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.salesforce.SalesforceJwtAssertion;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replays the token requests of reference §1 and compares the documented response shapes. */
class SalesforceOAuthConformanceTest {
    private static KeyPair keys;
    private static KeyPair otherKeys;
    private SalesforceEmulator emulator;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        otherKeys = gen.generateKeyPair();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private SalesforceTestClient start(SalesforceEmulator.Config config) throws Exception {
        emulator = new SalesforceEmulator(config).start(0);
        return new SalesforceTestClient(emulator);
    }

    @Test
    void clientCredentialsTokenMatchesSection11() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        HttpResponse<String> r = client.form("/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", "sandbox-client-id", "client_secret", "sandbox-client-secret"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = SalesforceTestClient.json(r);
        assertThat(body.get("access_token").isTextual()).isTrue();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("instance_url").asText()).isEqualTo(emulator.baseUrl());
        assertThat(body.get("id").asText()).matches("\\Q" + emulator.baseUrl() + "\\E/id/00D[0-9A-Za-z]{15}/005[0-9A-Za-z]{15}");
        // issued_at is epoch milliseconds as a string, not a number
        assertThat(body.get("issued_at").isTextual()).isTrue();
        assertThat(Long.parseLong(body.get("issued_at").asText())).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
        assertThat(body.get("signature").asText()).isBase64();
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.has("expires_in")).isFalse();
        assertThat(emulator.journal().count("salesforce.token", "POST")).isEqualTo(1);
    }

    @Test
    void passwordGrantAcceptsAnAppendedSecurityTokenPerSection13() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        HttpResponse<String> ok = client.form("/services/oauth2/token", Map.of("grant_type", "password",
                "client_id", "sandbox-client-id", "client_secret", "sandbox-client-secret",
                "username", "integration@closedloop.sandbox", "password", "sandbox-passwordTOKEN123"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(SalesforceTestClient.json(ok).get("access_token").asText()).isNotBlank();
        HttpResponse<String> bad = client.form("/services/oauth2/token", Map.of("grant_type", "password",
                "client_id", "sandbox-client-id", "client_secret", "sandbox-client-secret",
                "username", "integration@closedloop.sandbox", "password", "wrong"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(SalesforceTestClient.json(bad)).isEqualTo(SalesforceTestClient.JSON.readTree(
                "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}"));
    }

    @Test
    void tokenErrorsUseTheOAuthShapeOfSection14() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        assertThat(error(client, Map.of("grant_type", "client_credentials", "client_id", "nope", "client_secret", "x")))
                .isEqualTo("invalid_client_id");
        assertThat(error(client, Map.of("grant_type", "client_credentials", "client_id", "sandbox-client-id",
                "client_secret", "x"))).isEqualTo("invalid_client");
        assertThat(error(client, Map.of("grant_type", "authorization_code"))).isEqualTo("unsupported_grant_type");
    }

    @Test
    void jwtBearerVerifiesSignatureIssuerSubjectAndExpiryPerSection12() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults().withJwtPublicKey((RSAPublicKey) keys.getPublic()));
        URI login = URI.create(emulator.baseUrl());
        Instant now = Instant.now();
        HttpResponse<String> ok = jwt(client, SalesforceJwtAssertion.create("sandbox-client-id", "integration@closedloop.sandbox",
                login, (RSAPrivateKey) keys.getPrivate(), now));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(SalesforceTestClient.json(ok).get("instance_url").asText()).isEqualTo(emulator.baseUrl());
        assertThat(SalesforceTestClient.json(ok).has("refresh_token")).isFalse();

        assertThat(jwt(client, SalesforceJwtAssertion.create("sandbox-client-id", "integration@closedloop.sandbox", login,
                (RSAPrivateKey) otherKeys.getPrivate(), now)).body()).contains("invalid_grant");
        assertThat(jwt(client, SalesforceJwtAssertion.create("other-app", "integration@closedloop.sandbox", login,
                (RSAPrivateKey) keys.getPrivate(), now)).body()).contains("invalid_client_id");
        assertThat(jwt(client, SalesforceJwtAssertion.create("sandbox-client-id", "someone@else", login,
                (RSAPrivateKey) keys.getPrivate(), now)).body()).contains("invalid_grant");
        HttpResponse<String> expired = jwt(client, SalesforceJwtAssertion.create("sandbox-client-id",
                "integration@closedloop.sandbox", login, (RSAPrivateKey) keys.getPrivate(), now.minusSeconds(600)));
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(jwt(client, "not.a-jwt").statusCode()).isEqualTo(400);
    }

    @Test
    void revokeAnswers200AndInvalidatesTheToken() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults()).login();
        assertThat(client.get(SalesforceTestClient.V + "/limits").statusCode()).isEqualTo(200);
        assertThat(client.get("/services/oauth2/revoke?token=" + client.token).statusCode()).isEqualTo(200);
        assertThat(client.get(SalesforceTestClient.V + "/limits").statusCode()).isEqualTo(401);
        assertThat(client.form("/services/oauth2/revoke", Map.of("token", "whatever")).statusCode()).isEqualTo(200);
    }

    private static String error(SalesforceTestClient client, Map<String, String> form) {
        HttpResponse<String> r = client.form("/services/oauth2/token", form);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SalesforceTestClient.json(r).get("error_description").isTextual()).isTrue();
        return SalesforceTestClient.json(r).get("error").asText();
    }

    private static HttpResponse<String> jwt(SalesforceTestClient client, String assertion) {
        return client.form("/services/oauth2/token", Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion));
    }
}
