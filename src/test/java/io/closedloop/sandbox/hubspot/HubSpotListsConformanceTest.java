package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotListsConformanceTest {
    private static final Instant ADDED = Instant.parse("2024-05-30T12:00:01Z");
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults()).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
        emulator.portal().addList("1234", "MQLs");
        for (int i = 0; i < 300; i++) {
            String id = emulator.portal().createContact(Map.of("email", "m" + i + "@example.com"));
            ids.add(id);
            emulator.portal().addListMember("1234", id, ADDED.plusSeconds(i));
        }
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode ok(String path) {
        HttpResponse<String> r = client.get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void membershipsPageInRecordIdOrderWithAfter() {
        // §8.1
        JsonNode first = ok("/crm/v3/lists/1234/memberships?limit=250");
        assertSameShape(fixture("lists-memberships-page.json"), first);
        assertThat(first.get("total").asInt()).isEqualTo(300);
        assertThat(first.get("results")).hasSize(250);
        assertThat(first.get("results").get(0).get("membershipTimestamp").asText()).isEqualTo("2024-05-30T12:00:01.000Z");
        String after = URLEncoder.encode(first.get("paging").get("next").get("after").asText(), StandardCharsets.UTF_8);
        JsonNode second = ok("/crm/v3/lists/1234/memberships?limit=250&after=" + after);
        assertThat(second.has("paging")).isFalse();
        List<String> seen = new ArrayList<>();
        first.get("results").forEach(m -> seen.add(m.get("recordId").asText()));
        second.get("results").forEach(m -> seen.add(m.get("recordId").asText()));
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void membershipsDefaultToOneHundredAndRejectMoreThanTwoHundredFifty() {
        assertThat(ok("/crm/v3/lists/1234/memberships").get("results")).hasSize(100);
        assertThat(client.get("/crm/v3/lists/1234/memberships?limit=251").statusCode()).isEqualTo(400);
        assertThat(client.get("/crm/v3/lists/999/memberships").statusCode()).isEqualTo(404);
    }

    @Test
    void listByIdCarriesItsNameSizeAndAVersionThatFollowsMembershipChanges() {
        // §8.2 "List names"
        JsonNode body = ok("/crm/v3/lists/1234");
        assertSameShape(fixture("lists-read.json"), body);
        JsonNode list = body.get("list");
        assertThat(list.get("listId").asText()).isEqualTo("1234");
        assertThat(list.get("name").asText()).isEqualTo("MQLs");
        assertThat(list.get("objectTypeId").asText()).isEqualTo("0-1");
        assertThat(list.get("size").asInt()).isEqualTo(300);
        HubSpotTestClient.assertIsoMillis(list.get("createdAt").asText());
        emulator.portal().removeListMember("1234", ids.get(0));
        JsonNode after = ok("/crm/v3/lists/1234").get("list");
        assertThat(after.get("size").asInt()).isEqualTo(299);
        assertThat(after.get("listVersion").asInt()).isGreaterThan(list.get("listVersion").asInt());
        HttpResponse<String> missing = client.get("/crm/v3/lists/999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(emulator.journal().count("hubspot.lists.read")).isEqualTo(3);
    }

    @Test
    void recordMembershipsListTheContactsListsAndFollowRemovals() {
        // §8.2
        emulator.portal().addList("77", "Webinar");
        emulator.portal().addListMember("77", ids.get(0), ADDED);
        JsonNode body = ok("/crm/v3/lists/records/0-1/" + ids.get(0) + "/memberships");
        assertSameShape(fixture("lists-records-memberships.json"), body);
        assertThat(body.get("total").asInt()).isEqualTo(2);
        emulator.portal().removeListMember("77", ids.get(0));
        JsonNode after = ok("/crm/v3/lists/records/0-1/" + ids.get(0) + "/memberships");
        assertThat(after.get("results")).singleElement().satisfies(m -> assertThat(m.get("listId").asText()).isEqualTo("1234"));
        assertThat(ok("/crm/v3/lists/1234/memberships").get("total").asInt()).isEqualTo(300);
        assertThat(emulator.journal().count("hubspot.lists.records.memberships")).isEqualTo(2);
    }
}
