package io.closedloop.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.closedloop.core.SyncException;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client parses a successful answer straight from the response's stream (no copy into a String first): a large
 * page, non-ASCII text, an answer with no body and a refusal's message all read as before. The email events pager
 * keeps only the fields the mapper and the sends read of each event, skipped while the page is parsed: the same events
 * come out of the mapper as from the whole answer, the page's paging fields stay whole, and an empty page, an event
 * with nothing kept and a malformed page read as they did. Event shapes: hubspot-api.md §2.1 (the CLICK example, and
 * each type's extras).
 */
class HubSpotClientBodyTest {
    private static final String PATH = "/email/public/v1/events";

    /** One event of each written type and two only counted, with every extra §2.1 lists for it. */
    private static final String PAGE = """
            {"hasMore": true, "offset": "Y2FtcGFpZ246MzE4ODg5OTo1MDAw", "events": [
             {"id": "9e9ab3a4-8f29-4e3f-a1f0-0c5b6f6f2a10", "created": 1717405261123, "type": "CLICK", "recipient": "ada@example.com",
              "portalId": 1234567, "appId": 113, "appName": "BatchEmail", "emailCampaignId": 318889911,
              "sentBy": {"id": "4f6f", "created": 1717401000456}, "url": "https://www.example.com/pricing?utm_source=hs_email",
              "referer": "", "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
              "browser": {"name": "Chrome 124", "family": "Chrome", "producer": "Google Inc.", "producerUrl": "https://www.google.com/about/company/",
                          "type": "Browser", "url": "https://www.google.com/chrome/", "version": ["124.0"]},
              "location": {"country": "United States", "state": "massachusetts", "city": "boston", "latitude": 42.36, "longitude": -71.06},
              "ipAddress": "198.51.100.10", "deviceType": "COMPUTER", "linkId": 2, "filteredEvent": false, "hmid": "h1"},
             {"id": "o-1", "created": 1717405261000, "type": "OPEN", "recipient": "grace@example.com", "portalId": 1234567, "appId": 113,
              "appName": "BatchEmail", "emailCampaignId": 318889911, "url": null, "duration": 3000, "userAgent": "Mozilla/5.0",
              "browser": {"name": "Firefox 126", "version": ["126.0"]}, "location": {"country": "Germany", "state": "", "city": "berlin"},
              "ipAddress": "198.51.100.11", "deviceType": "MOBILE", "filteredEvent": true, "causedBy": {"id": "x", "created": 1}},
             {"id": "b-1", "created": 1717405260000, "type": "BOUNCE", "recipient": "lin@example.com", "emailCampaignId": 318889912,
              "category": "UNKNOWN_USER", "response": "550 5.1.1 The email account that you tried to reach does not exist.", "status": "5.1.1"},
             {"id": "s-1", "created": 1717405259000, "type": "STATUSCHANGE", "recipient": "ken@example.com", "emailCampaignId": 318889912,
              "source": "SOURCE_RECIPIENT", "requestedBy": "ken@example.com", "requestedByUserId": 7, "portalSubscriptionStatus": "SUBSCRIBED",
              "subscriptions": [{"id": 4561234, "status": "UNSUBSCRIBED", "legalBasisChange": {"legalBasisType": "CONSENT_WITH_NOTICE"}}],
              "bounced": false},
             {"id": "p-1", "created": 1717405258000, "type": "SPAMREPORT", "recipient": "mo@example.com", "emailCampaignId": 318889913,
              "obsoletedBy": {"id": "q", "created": 2}},
             {"id": "t-1", "created": 1717405257000, "type": "SENT", "recipient": "ada@example.com", "emailCampaignId": 318889911,
              "subject": "Pricing", "from": "Marketing <marketing@example.com>", "replyTo": ["marketing@example.com"], "cc": [], "bcc": []},
             {"id": "d-1", "created": 1717405256000, "type": "DELIVERED", "recipient": "ada@example.com", "emailCampaignId": 318889911,
              "response": "250 2.0.0 OK", "smtpId": null}
            ]}
            """;

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

    private void answer(String body) {
        api.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    @Test
    void eachEventKeepsExactlyTheMappersFieldsAndThePageStaysWhole() {
        answer(PAGE);

        JsonNode whole = client.get(PATH, Map.of()).body();
        JsonNode kept = client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body();

        assertThat(kept.path("hasMore").asBoolean()).isTrue();
        assertThat(kept.path("offset").asText()).isEqualTo("Y2FtcGFpZ246MzE4ODg5OTo1MDAw");
        assertThat(kept.path("events")).hasSize(7);
        for (int i = 0; i < 7; i++) {
            ObjectNode expected = ((ObjectNode) whole.path("events").get(i).deepCopy()).retain(HubSpotEmailEventMapper.FIELDS);
            assertThat(kept.path("events").get(i)).isEqualTo(expected);
        }
        JsonNode click = kept.path("events").get(0);
        assertThat(click.has("browser")).isFalse();
        assertThat(click.has("sentBy")).isFalse();
        assertThat(click.has("userAgent")).isFalse();
        // nested objects and arrays the mapper reads stay whole
        assertThat(click.path("location").path("longitude").asDouble()).isEqualTo(-71.06);
        assertThat(kept.path("events").get(3).path("subscriptions").get(0).path("legalBasisChange").path("legalBasisType").asText())
                .isEqualTo("CONSENT_WITH_NOTICE");
    }

    @Test
    void theMapperReadsTheSameEventsFromTheKeptFieldsAsFromTheWholeAnswer() {
        answer(PAGE);
        Map<Long, String> campaigns = new LinkedHashMap<>(Map.of(318889911L, "Pricing", 318889912L, "Webinar"));

        List<Object> whole = new ArrayList<>();
        client.get(PATH, Map.of()).body().path("events").forEach(e -> whole.add(HubSpotEmailEventMapper.map(e, campaigns)));
        List<Object> kept = new ArrayList<>();
        client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body().path("events")
                .forEach(e -> kept.add(HubSpotEmailEventMapper.map(e, campaigns)));

        assertThat(kept).isEqualTo(whole);
        // five written (with their details: device, duration, location, bounce category, the unsubscribe), two counted only
        assertThat(kept).filteredOn(o -> ((java.util.Optional<?>) o).isPresent()).hasSize(5);
        assertThat(kept.toString()).contains("duration=3000", "location=berlin, Germany", "category=UNKNOWN_USER", "EMAIL_UNSUBSCRIBE");
    }

    @Test
    void theSendsReadTheirFieldsThroughThePager() {
        answer(PAGE.replace("\"hasMore\": true", "\"hasMore\": false"));

        List<JsonNode> events = HubSpotEmailSends.events(client, Map.of("eventType", "SENT"));

        assertThat(events).hasSize(7);
        assertThat(events.get(5).path("recipient").asText()).isEqualTo("ada@example.com");
        assertThat(events.get(5).path("emailCampaignId").asLong()).isEqualTo(318889911L);
        assertThat(events.get(5).path("created").asLong()).isEqualTo(1717405257000L);
        assertThat(events.get(5).has("subject")).isFalse();
    }

    @Test
    void anEmptyPageAnEventWithNothingKeptAndAMalformedPageReadAsBefore() {
        answer("{\"hasMore\": false, \"events\": []}");
        JsonNode empty = client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body();
        assertThat(empty.path("events").isArray()).isTrue();
        assertThat(empty.path("events")).isEmpty();
        assertThat(empty.path("hasMore").isBoolean()).isTrue();

        answer("{\"events\": [{\"hmid\": \"h\", \"sentBy\": {\"id\": \"x\"}}, {\"id\": \"e\", \"created\": 5}]}");
        JsonNode bare = client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body();
        assertThat(bare.path("events")).hasSize(2);
        assertThat(bare.path("events").get(0).isObject()).isTrue();
        assertThat(bare.path("events").get(0)).isEmpty();
        assertThat(bare.path("events").get(1).path("created").asLong()).isEqualTo(5L);

        answer("{\"events\": {\"id\": \"not an array\"}}");
        JsonNode malformed = client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body();
        assertThat(malformed.path("events").isObject()).isTrue();
        assertThat(malformed.path("events").path("id").asText()).isEqualTo("not an array");

        answer("  \n");
        assertThat(client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS).body()).isEmpty();
    }

    @Test
    void aPageCutOffMidwayFailsAsMalformedJsonWhereverItStops() {
        // an answer cut off inside the events array, inside an event, inside a skipped field and inside a kept one
        for (String cut : List.of("{\"events\": [{\"id\": \"e\", \"created\": 5}", "{\"events\": [{\"id\": \"e\", \"crea",
                "{\"events\": [{\"browser\": {\"name\": \"Chr", "{\"events\": [{\"location\": {\"city\": \"bos")) {
            answer(cut);
            assertThatThrownBy(() -> client.get(PATH, Map.of(), HubSpotEmailSends.EVENT_FIELDS)).as(cut)
                    .isInstanceOf(SyncException.class).hasMessageContaining("malformed JSON");
        }
    }
}
