package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotAuthTest {
    private static final String OTHER = "pat-na1-11111111-sand-box1-1111-111111111111";
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withTokens(Set.of(HubSpotEmulator.DEFAULT_TOKEN, OTHER))).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void missingBearerTokenIsInvalidAuthentication() {
        HttpResponse<String> r = client.token(null).get("/crm/v3/properties/contacts");
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode body = json(r);
        // §1.3: same fields as the expired example, category INVALID_AUTHENTICATION
        assertSameShape(fixture("auth-expired-token.json"), body);
        assertThat(body.get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    }

    @Test
    void unknownTokenAndHapikeyAreRejected() {
        assertThat(client.token("pat-na1-unknown").get("/crm/v3/properties/contacts").statusCode()).isEqualTo(401);
        // §1.1: API keys stopped working in 2022
        HttpResponse<String> hapikey = client.token(null).get("/crm/v3/properties/contacts?hapikey=" + HubSpotEmulator.DEFAULT_TOKEN);
        assertThat(hapikey.statusCode()).isEqualTo(401);
        assertThat(json(hapikey).get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    }

    @Test
    void expiredTokenIsExpiredAuthenticationWhileOtherTokensStillWork() {
        assertThat(client.get("/crm/v3/properties/contacts").statusCode()).isEqualTo(200);
        emulator.expireToken(HubSpotEmulator.DEFAULT_TOKEN);
        HttpResponse<String> r = client.get("/crm/v3/properties/contacts");
        assertThat(r.statusCode()).isEqualTo(401);
        assertSameShape(fixture("auth-expired-token.json"), json(r));
        assertThat(json(r).get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(client.token(OTHER).get("/crm/v3/properties/contacts").statusCode()).isEqualTo(200);
        assertThat(emulator.journal().count("hubspot.properties.list")).isEqualTo(3);
    }

    @Test
    void rejectedCallsCarryNoRateLimitHeadersAndDoNotCount() {
        client.token("nope").get("/crm/v3/properties/contacts");
        HttpResponse<String> ok = client.token(HubSpotEmulator.DEFAULT_TOKEN).get("/crm/v3/properties/contacts");
        assertThat(ok.headers().firstValue("X-HubSpot-RateLimit-Daily-Remaining")).contains("624999");
    }
}
