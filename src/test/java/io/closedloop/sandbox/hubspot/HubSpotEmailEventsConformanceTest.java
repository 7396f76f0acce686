package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotEmailEventsConformanceTest {
    private static final long CAMPAIGN = 318_889_911L;
    private static final long T0 = 1_717_400_000_000L;
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0 + 3_600_000));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
        HubSpotPortal portal = emulator.portal();
        portal.addEmailCampaign(CAMPAIGN, "June webinar invite - segment A", "You're invited: Pipeline hygiene webinar");
        portal.addEmailEvent(new EmailEvent("sent-ada", 1_717_401_000_456L, "SENT", "ada@example.com", CAMPAIGN, Map.of()));
        portal.addEmailEvent(new EmailEvent("9e9ab3a4-8f29-4e3f-a1f0-0c5b6f6f2a10", 1_717_405_261_123L, "CLICK", "ada@example.com", CAMPAIGN,
                Map.of("url", "https://www.example.com/pricing?utm_source=hs_email")));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode events(String query) {
        HttpResponse<String> r = client.get("/email/public/v1/events?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void clickEventHasTheDocumentedFieldsAndTypes() {
        // §2.1 response example: epoch-ms numbers, numeric ids, string event id, nested browser/location
        JsonNode body = events("eventType=CLICK&limit=1");
        assertSameShape(fixture("email-events-click.json"), body);
        JsonNode click = body.get("events").get(0);
        assertThat(click.get("created").asLong()).isEqualTo(1_717_405_261_123L);
        assertThat(click.get("emailCampaignId").asLong()).isEqualTo(CAMPAIGN);
        assertThat(click.get("portalId").asLong()).isEqualTo(1_234_567L);
        assertThat(click.get("url").asText()).isEqualTo("https://www.example.com/pricing?utm_source=hs_email");
        // sentBy points at the SENT event of the same message
        assertThat(click.get("sentBy").get("id").asText()).isEqualTo("sent-ada");
        assertThat(click.get("sentBy").get("created").asLong()).isEqualTo(1_717_401_000_456L);
        assertThat(body.get("hasMore").asBoolean()).isFalse();
    }

    @Test
    void pagesNewestFirstWithInclusiveBoundsAndAccurateHasMore() {
        for (int i = 0; i < 25; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("ev-" + i, T0 + i * 1000L, "OPEN", "u" + i + "@example.com", 7L, Map.of()));
        }
        String query = "campaignId=7&startTimestamp=" + (T0 + 5000) + "&endTimestamp=" + (T0 + 20_000);
        List<Long> seen = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        String offset = null;
        do {
            JsonNode page = events(query + "&limit=7" + (offset == null ? "" : "&offset=" + enc(offset)));
            page.get("events").forEach(e -> seen.add(e.get("created").asLong()));
            hasMore.add(page.get("hasMore").asBoolean());
            offset = page.get("offset").asText();
        } while (hasMore.get(hasMore.size() - 1));
        assertThat(hasMore).containsExactly(true, true, false);
        assertThat(seen).hasSize(16).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(seen.get(0)).isEqualTo(T0 + 20_000);
        assertThat(seen.get(15)).isEqualTo(T0 + 5000);
    }

    @Test
    void exactlyFullLastPageReportsNoMore() {
        for (int i = 0; i < 4; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("e" + i, T0 + i, "DELIVERED", "x@example.com", 9L, Map.of()));
        }
        JsonNode first = events("campaignId=9&limit=2");
        assertThat(first.get("hasMore").asBoolean()).isTrue();
        JsonNode second = events("campaignId=9&limit=2&offset=" + enc(first.get("offset").asText()));
        assertThat(second.get("events")).hasSize(2);
        assertThat(second.get("hasMore").asBoolean()).isFalse();
    }

    @Test
    void filtersByCaseSensitiveTypeRecipientAndCampaign() {
        emulator.portal().addEmailEvent(new EmailEvent("other", T0, "CLICK", "bob@example.com", 55L, Map.of()));
        assertThat(events("eventType=click").get("events")).isEmpty();
        assertThat(events("eventType=CLICK").get("events")).hasSize(2);
        assertThat(events("eventType=CLICK&recipient=" + enc("bob@example.com")).get("events")).hasSize(1);
        assertThat(events("campaignId=" + CAMPAIGN).get("events")).hasSize(2);
        assertThat(events("limit=10").get("events")).hasSize(3);
    }

    @Test
    void defaultLimitIsTenAndAboveOneThousandIsRejected() {
        for (int i = 0; i < 15; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("d" + i, T0 + i, "PROCESSED", "p@example.com", 3L, Map.of()));
        }
        assertThat(events("campaignId=3").get("events")).hasSize(10);
        assertThat(events("limit=1000").get("events")).hasSize(17);
        HttpResponse<String> tooMany = client.get("/email/public/v1/events?limit=1001");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        // §2.1: exact body unconfirmed, so the generic §11.3 shape
        assertSameShape(fixture("error-validation.json"), json(tooMany));
    }

    @Test
    void offsetIsTiedToItsQueryAndShortLived() {
        for (int i = 0; i < 5; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("o" + i, T0 + i, "OPEN", "o@example.com", 4L, Map.of()));
        }
        String offset = events("campaignId=4&limit=2").get("offset").asText();
        assertThat(client.get("/email/public/v1/events?campaignId=5&limit=2&offset=" + enc(offset)).statusCode()).isEqualTo(400);
        // limit may change between pages (§2.1)
        assertThat(events("campaignId=4&limit=3&offset=" + enc(offset)).get("events")).hasSize(3);
        clock.advance(Duration.ofMinutes(11));
        assertThat(client.get("/email/public/v1/events?campaignId=4&limit=2&offset=" + enc(offset)).statusCode()).isEqualTo(400);
    }

    @Test
    void eventsArrivingDuringPagingDoNotShiftLaterPages() {
        for (int i = 0; i < 6; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("s" + i, T0 + i, "OPEN", "s@example.com", 6L, Map.of()));
        }
        JsonNode first = events("campaignId=6&limit=3");
        emulator.portal().addEmailEvent(new EmailEvent("late", T0 + 100, "OPEN", "s@example.com", 6L, Map.of()));
        JsonNode second = events("campaignId=6&limit=3&offset=" + enc(first.get("offset").asText()));
        List<String> ids = new ArrayList<>();
        second.get("events").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).containsExactly("s2", "s1", "s0");
    }

    @Test
    void perTypeFieldsAreRenderedWithTheirTypes() {
        HubSpotPortal portal = emulator.portal();
        portal.addEmailEvent(new EmailEvent("b", T0, "BOUNCE", "b@example.com", 8L, Map.of()));
        portal.addEmailEvent(new EmailEvent("o", T0 + 1, "OPEN", "b@example.com", 8L, Map.of("duration", 4200)));
        portal.addEmailEvent(new EmailEvent("s", T0 + 2, "STATUSCHANGE", "b@example.com", 8L, Map.of()));
        portal.addEmailEvent(new EmailEvent("sp", T0 + 3, "SPAMREPORT", "b@example.com", 8L, Map.of()));
        portal.addEmailEvent(new EmailEvent("z", T0 + 4, "SOMETHING_NEW", "b@example.com", 8L, Map.of()));
        JsonNode bounce = events("eventType=BOUNCE").get("events").get(0);
        assertThat(bounce.get("category").isTextual()).isTrue();
        assertThat(bounce.get("response").isTextual()).isTrue();
        assertThat(bounce.get("status").isTextual()).isTrue();
        JsonNode open = events("eventType=OPEN").get("events").get(0);
        assertThat(open.get("duration").asLong()).isEqualTo(4200);
        assertThat(open.get("filteredEvent").isBoolean()).isTrue();
        JsonNode status = events("eventType=STATUSCHANGE").get("events").get(0);
        assertThat(status.get("subscriptions").isArray()).isTrue();
        assertThat(status.get("portalSubscriptionStatus").asText()).isEqualTo("UNSUBSCRIBED");
        assertThat(status.get("source").isTextual()).isTrue();
        assertThat(events("eventType=SPAMREPORT").get("events").get(0).get("type").asText()).isEqualTo("SPAMREPORT");
        // unknown types pass through (§2.1)
        assertThat(events("eventType=SOMETHING_NEW").get("events")).hasSize(1);
    }

    @Test
    void excludeFilteredEventsDropsBotClicks() {
        emulator.portal().addEmailEvent(new EmailEvent("bot", T0, "CLICK", "bot@example.com", 12L, Map.of("filteredEvent", true)));
        assertThat(events("campaignId=12").get("events")).hasSize(1);
        assertThat(events("campaignId=12&excludeFilteredEvents=true").get("events")).isEmpty();
    }

    @Test
    void singleEventIsFoundByCreatedAndId() {
        // §2.2: same shape as an element of events[]
        HttpResponse<String> r = client.get("/email/public/v1/events/1717405261123/9e9ab3a4-8f29-4e3f-a1f0-0c5b6f6f2a10");
        assertThat(r.statusCode()).isEqualTo(200);
        assertSameShape(fixture("email-events-click.json").get("events").get(0), json(r));
        assertThat(client.get("/email/public/v1/events/1717405261124/9e9ab3a4-8f29-4e3f-a1f0-0c5b6f6f2a10").statusCode()).isEqualTo(404);
        assertThat(emulator.journal().count("hubspot.email.event")).isEqualTo(2);
    }

    @Test
    void campaignDetailsHaveTheDocumentedShapeAndCounters() {
        // §2.3
        HttpResponse<String> r = client.get("/email/public/v1/campaigns/" + CAMPAIGN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertSameShape(fixture("email-campaign-details.json"), body);
        assertThat(body.get("subject").asText()).isEqualTo("You're invited: Pipeline hygiene webinar");
        assertThat(body.get("counters").get("sent").asLong()).isEqualTo(1);
        assertThat(body.get("counters").get("click").asLong()).isEqualTo(1);
        HttpResponse<String> missing = client.get("/email/public/v1/campaigns/1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(emulator.journal().count("hubspot.email.campaign")).isEqualTo(2);
    }

    @Test
    void tenThousandEventsPageThroughInTenCalls() {
        for (int i = 0; i < 10_000; i++) {
            emulator.portal().addEmailEvent(new EmailEvent("bulk-" + i, T0 - 1_000_000 + i, i % 2 == 0 ? "OPEN" : "DELIVERED",
                    "r" + (i % 500) + "@example.com", 1000L + i % 10, Map.of()));
        }
        assertThat(emulator.portal().emailEventCount()).isEqualTo(10_002);
        int total = 0;
        int calls = 0;
        String offset = null;
        boolean more = true;
        while (more) {
            JsonNode page = events("endTimestamp=" + (T0 - 1) + "&limit=1000" + (offset == null ? "" : "&offset=" + enc(offset)));
            total += page.get("events").size();
            more = page.get("hasMore").asBoolean();
            offset = page.get("offset").asText();
            calls++;
        }
        assertThat(total).isEqualTo(10_000);
        assertThat(calls).isEqualTo(10);
        assertThat(emulator.journal().count("hubspot.email.events")).isEqualTo(10);
    }
}
