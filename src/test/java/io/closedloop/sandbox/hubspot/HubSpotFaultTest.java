package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotFaultTest {
    private static final String EVENTS = "/email/public/v1/events";
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults()).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
        emulator.portal().addEmailEvent(new EmailEvent("e1", 1_717_405_261_123L, "OPEN", "ada@example.com", 1L, Map.of()));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void injectedRateLimitsRenderEachPolicy() {
        emulator.faults().script("hubspot.email.*", Fault.rateLimit("TEN_SECONDLY_ROLLING"), Fault.rateLimit("DAILY"),
                Fault.rateLimit("SECONDLY"));
        JsonNode ten = json(client.get(EVENTS));
        assertSameShape(fixture("rate-limit-daily.json"), ten);
        assertThat(ten.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        HttpResponse<String> daily = client.get(EVENTS);
        assertThat(daily.statusCode()).isEqualTo(429);
        assertThat(json(daily).get("policyName").asText()).isEqualTo("DAILY");
        HttpResponse<String> secondly = client.get(EVENTS);
        assertThat(secondly.statusCode()).isEqualTo(429);
        assertSameShape(fixture("rate-limit-secondly.json"), json(secondly));
        assertThat(json(secondly).has("policyName")).isFalse();
        assertThat(client.get(EVENTS).statusCode()).isEqualTo(200);
    }

    @Test
    void injectedServerErrorsUseTheGenericErrorShape() {
        emulator.faults().script("hubspot.contacts.search", Fault.serverError(502), Fault.serverError(423), Fault.serverError(477));
        for (int status : new int[] {502, 423, 477}) {
            HttpResponse<String> r = client.post("/crm/v3/objects/contacts/search", "{}");
            assertThat(r.statusCode()).isEqualTo(status);
            // §11.3 fields
            assertSameShape(fixture("error-validation.json"), json(r));
            if (status == 477) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(emulator.journal().calls()).extracting("status").containsExactly(502, 423, 477);
    }

    @Test
    void malformedBodyIsCutShort() {
        emulator.faults().script("hubspot.email.events", Fault.malformedBody());
        HttpResponse<String> r = client.get(EVENTS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> HubSpotTestClient.JSON.readTree(r.body())).isInstanceOf(IOException.class);
        assertThat(json(client.get(EVENTS)).get("events")).hasSize(1);
    }

    @Test
    void connectionResetReachesTheClientAsAnIoError() {
        // the JDK client retries a GET once on a dropped connection, so reset both attempts
        emulator.faults().script("hubspot.email.events", Fault.connectionReset(), Fault.connectionReset());
        assertThatThrownBy(() -> client.get(EVENTS)).isInstanceOf(UncheckedIOException.class);
        assertThat(emulator.journal().calls()).allSatisfy(c -> assertThat(c.status()).isZero());
        assertThat(client.get(EVENTS).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAreObjectNotFound() {
        HttpResponse<String> r = client.get("/crm/v3/objects/deals/1");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(emulator.journal().count("hubspot.unknown")).isEqualTo(1);
    }

    @Test
    void faultRatesAreSeededPerEndpoint() {
        emulator.faults().failRate("hubspot.email.events", Fault.serverError(503), 0.5);
        int failures = 0;
        for (int i = 0; i < 30; i++) {
            if (client.get(EVENTS).statusCode() == 503) {
                failures++;
            }
        }
        assertThat(failures).isBetween(5, 25);
        assertThat(client.get("/email/public/v1/campaigns/1").statusCode()).isEqualTo(200);
    }
}
