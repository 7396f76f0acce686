package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertUuid;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotRateLimitTest {
    private static final String OTHER = "pat-na1-22222222-sand-box2-2222-222222222222";
    private static final String PROPS = "/crm/v3/properties/contacts/email";
    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-03T23:59:50Z"));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    private void start(HubSpotEmulator.Config config) throws Exception {
        emulator = new HubSpotEmulator(config.withClock(clock).withTokens(Set.of(HubSpotEmulator.DEFAULT_TOKEN, OTHER))).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void normalResponsesCarryTheRateLimitHeaders() throws Exception {
        start(HubSpotEmulator.Config.defaults());
        HttpResponse<String> r = client.get(PROPS);
        assertThat(r.statusCode()).isEqualTo(200);
        // §11.2 header table, PROFESSIONAL defaults
        assertThat(header(r, "X-HubSpot-RateLimit-Daily")).isEqualTo("625000");
        assertThat(header(r, "X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("624999");
        assertThat(header(r, "X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        assertThat(header(r, "X-HubSpot-RateLimit-Max")).isEqualTo("190");
        assertThat(header(r, "X-HubSpot-RateLimit-Remaining")).isEqualTo("189");
        assertThat(header(client.get(PROPS), "X-HubSpot-RateLimit-Remaining")).isEqualTo("188");
        // errors from the handler are still counted and still carry the headers
        HttpResponse<String> missing = client.get("/crm/v3/properties/contacts/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(header(missing, "X-HubSpot-RateLimit-Remaining")).isEqualTo("187");
    }

    @Test
    void tiersSetTheBurstAndDailyNumbers() throws Exception {
        HubSpotEmulator.Config d = HubSpotEmulator.Config.defaults();
        assertThat(d.withTier(HubSpotEmulator.Tier.STARTER)).extracting("burstPer10s", "dailyLimit").containsExactly(100, 250_000L);
        assertThat(d.withTier(HubSpotEmulator.Tier.PROFESSIONAL)).extracting("burstPer10s", "dailyLimit").containsExactly(190, 625_000L);
        assertThat(d.withTier(HubSpotEmulator.Tier.ENTERPRISE)).extracting("burstPer10s", "dailyLimit").containsExactly(190, 1_000_000L);
        start(d.withTier(HubSpotEmulator.Tier.STARTER));
        HttpResponse<String> r = client.get(PROPS);
        assertThat(header(r, "X-HubSpot-RateLimit-Max")).isEqualTo("100");
        assertThat(header(r, "X-HubSpot-RateLimit-Daily")).isEqualTo("250000");
    }

    @Test
    void burstLimitIsARollingTenSecondWindowPerToken() throws Exception {
        start(HubSpotEmulator.Config.defaults().withBurstPer10s(3));
        client.get(PROPS);
        clock.advance(Duration.ofSeconds(4));
        client.get(PROPS);
        client.get(PROPS);
        HttpResponse<String> limited = client.get(PROPS);
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode body = json(limited);
        // §11.2 documented 429 body (requestId is being removed upstream, so it is not sent)
        assertSameShape(fixture("rate-limit-daily.json"), body);
        assertThat(body.get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(body.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertUuid(body.get("correlationId").asText());
        assertThat(header(limited, "X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        // another app's token has its own window
        assertThat(client.token(OTHER).get(PROPS).statusCode()).isEqualTo(200);
        client.token(HubSpotEmulator.DEFAULT_TOKEN);
        // the first call leaves the window after 10 s, the other two still count
        clock.advance(Duration.ofMillis(6001));
        assertThat(client.get(PROPS).statusCode()).isEqualTo(200);
        assertThat(client.get(PROPS).statusCode()).isEqualTo(429);
    }

    @Test
    void dailyLimitIsPerAccountAndResetsAtMidnight() throws Exception {
        start(HubSpotEmulator.Config.defaults().withDailyLimit(3));
        client.get(PROPS);
        client.get(PROPS);
        assertThat(header(client.token(OTHER).get(PROPS), "X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        HttpResponse<String> limited = client.get(PROPS);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertSameShape(fixture("rate-limit-daily.json"), json(limited));
        assertThat(json(limited).get("policyName").asText()).isEqualTo("DAILY");
        assertThat(json(limited).get("message").asText()).isEqualTo("You have reached your daily limit.");
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> nextDay = client.get(PROPS);
        assertThat(nextDay.statusCode()).isEqualTo(200);
        assertThat(header(nextDay, "X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("2");
    }

    @Test
    void searchHasItsOwnPerSecondLimitWithTheOlderBody() throws Exception {
        start(HubSpotEmulator.Config.defaults().withBurstPer10s(2));
        for (int i = 0; i < 5; i++) {
            // search is exempt from the ten-second burst (§4), so 5 searches pass a burst of 2
            assertThat(client.post(SEARCH, "{}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = client.post(SEARCH, "{}");
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode body = json(limited);
        assertThat(body).isNotNull();
        assertSameShape(fixture("rate-limit-secondly.json"), body);
        assertThat(body.get("message").asText()).isEqualTo("You have reached your secondly limit.");
        assertThat(body.has("errorType")).isFalse();
        assertThat(body.has("policyName")).isFalse();
        assertThat(client.get(PROPS).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.post(SEARCH, "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectedCallsDoNotUseUpTheAllowance() throws Exception {
        clock.set(Instant.parse("2024-06-03T12:00:00Z"));
        start(HubSpotEmulator.Config.defaults().withBurstPer10s(1).withDailyLimit(10));
        client.get(PROPS);
        for (int i = 0; i < 5; i++) {
            assertThat(client.get(PROPS).statusCode()).isEqualTo(429);
        }
        clock.advance(Duration.ofSeconds(5));
        emulator.rateLimits(1, 10, 5);
        clock.advance(Duration.ofSeconds(5));
        assertThat(header(client.get(PROPS), "X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("8");
        assertThat(emulator.journal().count("hubspot.properties.read")).isEqualTo(7);
    }
}
