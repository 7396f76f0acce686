package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertUuid;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotFormsConformanceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-03T10:00:00Z"));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void formsListPagesWithAfterAndDropsPagingOnTheLastPage() {
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            guids.add(emulator.portal().addForm("Form " + i));
        }
        JsonNode first = ok(client.get("/marketing/v3/forms"));
        // §3.1: 20 forms by default, paging.next.after + link
        assertSameShape(fixture("forms-list-page.json"), first);
        assertThat(first.get("results")).hasSize(20);
        assertUuid(first.get("results").get(0).get("id").asText());
        String after = first.get("paging").get("next").get("after").asText();
        JsonNode last = ok(client.get("/marketing/v3/forms?after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
        assertThat(last.get("results")).hasSize(5);
        assertThat(last.has("paging")).isFalse();
        List<String> seen = new ArrayList<>();
        first.get("results").forEach(f -> seen.add(f.get("id").asText()));
        last.get("results").forEach(f -> seen.add(f.get("id").asText()));
        assertThat(seen).containsExactlyElementsOf(guids);
    }

    @Test
    void submissionsComeNewestFirstAndPageWithAfter() {
        String guid = emulator.portal().addForm("Contact us");
        for (int i = 0; i < 60; i++) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("email", "p" + i + "@example.com");
            values.put("firstname", "P" + i);
            emulator.portal().addFormSubmission(guid, 1_717_406_000_000L + i * 1000L, "https://www.example.com/contact", values);
        }
        JsonNode first = ok(client.get("/form-integrations/v1/submissions/forms/" + guid + "?limit=50"));
        // §3.2: submittedAt epoch ms, values[] name/value (objectTypeId per value is unconfirmed and left out)
        assertSameShape(fixture("forms-submissions-page.json"), first);
        assertThat(first.get("results")).hasSize(50);
        assertThat(first.get("results").get(0).get("submittedAt").asLong()).isEqualTo(1_717_406_059_000L);
        assertThat(first.get("results").get(0).get("values").get(0).get("name").asText()).isEqualTo("email");
        List<Long> times = new ArrayList<>();
        first.get("results").forEach(s -> times.add(s.get("submittedAt").asLong()));
        String after = first.get("paging").get("next").get("after").asText();
        JsonNode second = ok(client.get("/form-integrations/v1/submissions/forms/" + guid + "?limit=50&after="
                + URLEncoder.encode(after, StandardCharsets.UTF_8)));
        second.get("results").forEach(s -> times.add(s.get("submittedAt").asLong()));
        assertThat(second.has("paging")).isFalse();
        assertThat(times).hasSize(60).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void submissionsDefaultToTwentyAndRejectMoreThanFifty() {
        String guid = emulator.portal().addForm("Demo request");
        for (int i = 0; i < 30; i++) {
            emulator.portal().addFormSubmission(guid, 1_000L + i, "https://www.example.com/demo", Map.of("email", i + "@example.com"));
        }
        assertThat(ok(client.get("/form-integrations/v1/submissions/forms/" + guid)).get("results")).hasSize(20);
        HttpResponse<String> tooMany = client.get("/form-integrations/v1/submissions/forms/" + guid + "?limit=51");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(client.get("/form-integrations/v1/submissions/forms/no-such-form").statusCode()).isEqualTo(404);
        assertThat(emulator.journal().count("hubspot.forms.submissions")).isEqualTo(3);
    }
}
