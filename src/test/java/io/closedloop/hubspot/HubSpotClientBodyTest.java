package io.closedloop.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.closedloop.core.SyncException;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client parses a successful answer straight from the response's stream (no copy into a String first): a large
 * page, non-ASCII text, an answer with no body and a refusal's message all read as before.
 */
class HubSpotClientBodyTest {
    @TempDir
    Path dir;

    private WireMockServer api;
    private DefaultCamelContext context;
    private HubSpotClient client;

    @BeforeEach
    void setUp() throws Exception {
        api = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        api.start();
        Map<String, String> env = TestSettings.env(dir);
        env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:" + api.port());
        context = new DefaultCamelContext();
        context.start();
        client = new HubSpotClient(context, TestSettings.settings(dir, env));
    }

    @AfterEach
    void tearDown() throws Exception {
        context.close();
        api.stop();
    }

    @Test
    void aLargePageWithNonAsciiTextIsParsedWhole() {
        StringBuilder page = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 3000; i++) {
            page.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\",\"subject\":\"Grüße, café ✓ ").append(i).append("\"}");
        }
        page.append("]}");
        api.stubFor(get(urlPathEqualTo("/email/public/v1/events")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody(page.toString())));

        HubSpotClient.Response r = client.get("/email/public/v1/events", Map.of());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("events")).hasSize(3000);
        assertThat(r.body().path("events").get(2999).path("subject").asText()).isEqualTo("Grüße, café ✓ 2999");
    }

    @Test
    void anAnswerWithoutABodyIsAnEmptyObject() {
        api.stubFor(post(urlPathEqualTo("/crm/v3/objects/contacts/batch/archive")).willReturn(aResponse().withStatus(204)));
        api.stubFor(get(urlPathEqualTo("/blank")).willReturn(aResponse().withStatus(200).withBody("  \n")));

        HubSpotClient.Response none = client.post("/crm/v3/objects/contacts/batch/archive", Map.of("inputs", java.util.List.of()));
        HubSpotClient.Response blank = client.get("/blank", Map.of());

        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body().isObject()).isTrue();
        assertThat(none.body()).isEmpty();
        assertThat(blank.body().isObject()).isTrue();
        assertThat(blank.body()).isEmpty();
    }

    @Test
    void aRefusalStillCarriesHubSpotsMessage() {
        api.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\"}")));

        assertThatThrownBy(() -> client.get("/crm/v3/objects/contacts", Map.of()))
                .isInstanceOf(SyncException.class).hasMessageContaining("Property values were not valid");
    }
}
