package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertIsoMillis;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotSearchConformanceTest {
    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-03T09:20:40.551Z"));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        // a high search rate keeps paging tests clear of the per-second limit, which has its own test
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock).withSearchPerSecond(1000)).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode search(Object body) {
        HttpResponse<String> r = client.post(SEARCH, body instanceof String s ? s : write(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private HttpResponse<String> rawSearch(Object body) {
        return client.post(SEARCH, write(body));
    }

    private String ada() {
        Map<String, String> p = new HashMap<>();
        p.put("email", "ada@example.com");
        p.put("firstname", "Ada");
        p.put("lastname", "Lovelace");
        p.put("company", "Analytical Engines Ltd");
        p.put("hubspotscore", "35");
        p.put("lifecyclestage", "marketingqualifiedlead");
        p.put("hs_lead_status", "NEW");
        p.put("hs_analytics_last_visit_timestamp", "2024-06-03T09:14:11.204Z");
        p.put("hs_analytics_num_page_views", "12");
        p.put("hs_analytics_last_url", "https://www.example.com/pricing");
        p.put("recent_conversion_event_name", "Contact us: Contact form");
        p.put("recent_conversion_date", "2024-06-03T09:15:02.000Z");
        p.put("createdate", "2024-01-17T19:55:04.281Z");
        return emulator.portal().createContact(p);
    }

    private List<String> create(int n, String leadStatus) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMillis(10));
            ids.add(emulator.portal().createContact(Map.of("email", "c" + ids.size() + "-" + leadStatus + "@example.com",
                    "hs_lead_status", leadStatus)));
        }
        return ids;
    }

    private static Map<String, Object> filter(String property, String operator, Object value) {
        Map<String, Object> f = new HashMap<>();
        f.put("propertyName", property);
        f.put("operator", operator);
        if (value instanceof List<?>) {
            f.put("values", value);
        } else if (value != null) {
            f.put("value", value);
        }
        return f;
    }

    @Test
    void documentedRequestReturnsTheDocumentedResponseShape() {
        // §4 request and response examples
        String id = ada();
        create(1, "UNQUALIFIED");
        JsonNode body = search(fixture("contacts-search-request.json").toString());
        ObjectNode documented = (ObjectNode) fixture("contacts-search-response.json").deepCopy();
        documented.remove("paging");
        assertSameShape(documented, body);
        assertThat(body.get("total").asInt()).isEqualTo(1);
        JsonNode hit = body.get("results").get(0);
        assertThat(hit.get("id").asText()).isEqualTo(id);
        assertThat(hit.get("properties").get("hs_object_id").asText()).isEqualTo(id);
        assertThat(hit.get("properties").get("hs_email_domain").asText()).isEqualTo("example.com");
        assertIsoMillis(hit.get("createdAt").asText());
        assertIsoMillis(hit.get("properties").get("lastmodifieddate").asText());
        assertThat(hit.get("createdAt").asText()).isEqualTo("2024-01-17T19:55:04.281Z");
        assertThat(body.has("paging")).isFalse();
    }

    @Test
    void pagesWithNumericStringAfterAndReportsTotal() {
        List<String> ids = create(450, "OPEN");
        Map<String, Object> req = new HashMap<>(Map.of("limit", 200, "filterGroups",
                List.of(Map.of("filters", List.of(filter("hs_lead_status", "EQ", "OPEN"))))));
        List<String> seen = new ArrayList<>();
        List<String> afters = new ArrayList<>();
        String after = "0";
        while (after != null) {
            req.put("after", after);
            JsonNode page = search(req);
            assertThat(page.get("total").asInt()).isEqualTo(450);
            page.get("results").forEach(r -> seen.add(r.get("id").asText()));
            after = page.has("paging") ? page.get("paging").get("next").get("after").asText() : null;
            afters.add(after);
        }
        assertThat(afters).containsExactly("200", "400", null);
        // no sort: oldest created first
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void searchRejectsPagingPastTheTenThousandResultCap() {
        create(3, "NEW");
        assertThat(rawSearch(Map.of("after", "9800", "limit", 200)).statusCode()).isEqualTo(200);
        HttpResponse<String> past = rawSearch(Map.of("after", "9900", "limit", 200));
        assertThat(past.statusCode()).isEqualTo(400);
        assertSameShape(fixture("error-validation.json"), json(past));
        assertThat(rawSearch(Map.of("after", "10000")).statusCode()).isEqualTo(400);
    }

    @Test
    void resultCapIsConfigurable() throws Exception {
        try (HubSpotEmulator small = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSearchResultCap(100)).start(0)) {
            HubSpotTestClient c = new HubSpotTestClient(small.baseUrl());
            assertThat(c.post(SEARCH, write(Map.of("after", "0", "limit", 100))).statusCode()).isEqualTo(200);
            assertThat(c.post(SEARCH, write(Map.of("after", "1", "limit", 100))).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void tooManyFilterGroupsOrFiltersIsAValidationError() {
        Map<String, Object> group = Map.of("filters", List.of(filter("email", "HAS_PROPERTY", null)));
        assertThat(rawSearch(Map.of("filterGroups", List.of(group, group, group, group, group))).statusCode()).isEqualTo(200);
        HttpResponse<String> sixGroups = rawSearch(Map.of("filterGroups", List.of(group, group, group, group, group, group)));
        assertThat(sixGroups.statusCode()).isEqualTo(400);
        assertThat(json(sixGroups).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        List<Map<String, Object>> seven = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seven.add(filter("email", "HAS_PROPERTY", null));
        }
        assertThat(rawSearch(Map.of("filterGroups", List.of(Map.of("filters", seven.subList(0, 6))))).statusCode()).isEqualTo(200);
        assertThat(rawSearch(Map.of("filterGroups", List.of(Map.of("filters", seven)))).statusCode()).isEqualTo(400);
        Map<String, Object> fourFilters = Map.of("filters", seven.subList(0, 4));
        Map<String, Object> twoFilters = Map.of("filters", seven.subList(0, 2));
        // 4+4+4+4+2 = 18 passes, 4*5 = 20 fails the total
        assertThat(rawSearch(Map.of("filterGroups", List.of(fourFilters, fourFilters, fourFilters, fourFilters, twoFilters))).statusCode())
                .isEqualTo(200);
        assertThat(rawSearch(Map.of("filterGroups", List.of(fourFilters, fourFilters, fourFilters, fourFilters, fourFilters))).statusCode())
                .isEqualTo(400);
        emulator.searchFilterLimits(3, 3, 9);
        assertThat(rawSearch(Map.of("filterGroups", List.of(group, group, group, group))).statusCode()).isEqualTo(400);
    }

    @Test
    void filterGroupsAreOredAndFiltersInAGroupAnded() {
        create(3, "NEW");
        create(2, "OPEN");
        create(4, "UNQUALIFIED");
        JsonNode or = search(Map.of("filterGroups", List.of(
                Map.of("filters", List.of(filter("hs_lead_status", "EQ", "NEW"))),
                Map.of("filters", List.of(filter("hs_lead_status", "EQ", "OPEN"))))));
        assertThat(or.get("total").asInt()).isEqualTo(5);
        JsonNode and = search(Map.of("filterGroups", List.of(Map.of("filters", List.of(
                filter("hs_lead_status", "EQ", "NEW"), filter("email", "EQ", "c1-NEW@example.com"))))));
        assertThat(and.get("total").asInt()).isEqualTo(1);
    }

    @Test
    void oneSortAppliesAndDefaultPropertiesAreReturnedWhenNoneAreAsked() {
        List<String> ids = create(5, "NEW");
        clock.advance(Duration.ofSeconds(1));
        emulator.portal().updateContact(ids.get(1), Map.of("firstname", "Bumped"));
        JsonNode desc = search(Map.of("sorts", List.of(Map.of("propertyName", "lastmodifieddate", "direction", "DESCENDING"),
                Map.of("propertyName", "email", "direction", "ASCENDING"))));
        assertThat(desc.get("results").get(0).get("id").asText()).isEqualTo(ids.get(1));
        assertThat(desc.get("results").get(1).get("id").asText()).isEqualTo(ids.get(4));
        List<String> names = new ArrayList<>();
        desc.get("results").get(0).get("properties").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
        assertThat(desc.get("results").get(0).get("properties").get("lastname").isNull()).isTrue();
    }

    @Test
    void writesBecomeSearchableOnlyAfterTheIndexingDelay() {
        emulator.indexingDelay(Duration.ofSeconds(5));
        String id = emulator.portal().createContact(Map.of("email", "late@example.com", "hs_lead_status", "NEW"));
        Map<String, Object> byStatus = Map.of("filterGroups", List.of(Map.of("filters", List.of(filter("hs_lead_status", "EQ", "OPEN")))));
        assertThat(search(Map.of()).get("total").asInt()).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(search(Map.of()).get("total").asInt()).isEqualTo(1);
        emulator.portal().updateContact(id, Map.of("hs_lead_status", "OPEN"));
        // the old version stays in the index until the delay passes
        assertThat(search(byStatus).get("total").asInt()).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(search(byStatus).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void badRequestsAreValidationErrors() {
        assertThat(rawSearch(Map.of("limit", 201)).statusCode()).isEqualTo(400);
        assertThat(rawSearch(Map.of("after", "abc")).statusCode()).isEqualTo(400);
        HttpResponse<String> broken = client.post(SEARCH, "{\"filterGroups\": [");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        // an empty body is a valid search (§4)
        assertThat(client.post(SEARCH, "{}").statusCode()).isEqualTo(200);
        assertThat(emulator.journal().count("hubspot.contacts.search", "POST")).isEqualTo(4);
    }
}
