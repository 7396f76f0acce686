package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Shape per shared/reference/salesforce-api.md §1.2 (JWT bearer). */
class SalesforceJwtAssertionTest {
    @Test
    void assertionIsAnRs256JwtWithTheDocumentedClaimsAndAValidSignature() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        String jwt = SalesforceJwtAssertion.create("3MVG9key", "int\"egration@acme.example",
                URI.create("https://login.salesforce.com"), (RSAPrivateKey) pair.getPrivate(), now);

        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        Base64.Decoder dec = Base64.getUrlDecoder();
        assertThat(new String(dec.decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"RS256\"}");
        JsonNode claims = new ObjectMapper().readTree(dec.decode(parts[1]));
        assertThat(claims.get("iss").asText()).isEqualTo("3MVG9key");
        assertThat(claims.get("sub").asText()).isEqualTo("int\"egration@acme.example");
        assertThat(claims.get("aud").asText()).isEqualTo("https://login.salesforce.com");
        assertThat(claims.get("exp").asLong()).isEqualTo(now.getEpochSecond() + 180);

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(dec.decode(parts[2]))).isTrue();
    }

    @Test
    void sandboxesUseTheTestAudience() {
        assertThat(SalesforceJwtAssertion.audience(URI.create("https://test.salesforce.com"))).isEqualTo("https://test.salesforce.com");
        assertThat(SalesforceJwtAssertion.audience(URI.create("https://acme--uat.sandbox.my.salesforce.com"))).isEqualTo("https://test.salesforce.com");
        assertThat(SalesforceJwtAssertion.audience(URI.create("https://acme.my.salesforce.com"))).isEqualTo("https://login.salesforce.com");
    }
}
