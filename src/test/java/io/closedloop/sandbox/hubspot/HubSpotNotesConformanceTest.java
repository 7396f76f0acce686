package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertIsoMillis;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotNotesConformanceTest {
    private static final String NOTES = "/crm/v3/objects/notes";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-03T10:05:01.312Z"));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;
    private String contactId;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
        contactId = emulator.portal().createContact(Map.of("email", "ada@example.com"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static Map<String, Object> association(String id) {
        return Map.of("to", Map.of("id", id), "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 202)));
    }

    @Test
    void documentedNoteCreateIsCreatedWithItsContactAssociation() {
        // §7 request and 201 response
        String request = fixture("notes-create-request.json").toString().replace("\"100451\"", "\"" + contactId + "\"");
        HttpResponse<String> r = client.post(NOTES, request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertSameShape(fixture("notes-create-response.json"), body);
        assertThat(body.get("properties").get("hs_object_id").asText()).isEqualTo(body.get("id").asText());
        assertIsoMillis(body.get("createdAt").asText());
        assertThat(emulator.portal().notes()).singleElement().satisfies(n -> {
            assertThat(n.contactIds()).containsExactly(contactId);
            assertThat(n.properties()).containsEntry("hubspot_owner_id", "41629779").containsEntry("hs_timestamp", "2024-06-03T10:05:00.000Z");
            assertThat(n.properties().get("hs_note_body")).contains("rejected");
        });
    }

    @Test
    void noteWithoutTimestampIsRejected() {
        HttpResponse<String> r = client.post(NOTES, write(Map.of("properties", Map.of("hs_note_body", "hi"), "associations", List.of())));
        assertThat(r.statusCode()).isEqualTo(400);
        assertSameShape(fixture("error-validation.json"), json(r));
        assertThat(json(r).get("message").asText()).contains("hs_timestamp");
        assertThat(emulator.portal().notes()).isEmpty();
    }

    @Test
    void epochMillisTimestampIsAcceptedAndStoredAsIso() {
        HttpResponse<String> r = client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000",
                "hs_note_body", "Opportunity won"), "associations", List.of(association(contactId)))));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("properties").get("hs_timestamp").asText()).isEqualTo("2024-06-03T10:05:00.000Z");
    }

    @Test
    void associationToAnUnknownContactOrWithAnotherTypeIsRejected() {
        assertThat(client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000"),
                "associations", List.of(association("999"))))).statusCode()).isEqualTo(400);
        Map<String, Object> company = Map.of("to", Map.of("id", contactId),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 190)));
        assertThat(client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000"),
                "associations", List.of(company)))).statusCode()).isEqualTo(400);
        assertThat(client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000",
                "hs_note_body", "x".repeat(65_537)), "associations", List.of()))).statusCode()).isEqualTo(400);
        assertThat(emulator.portal().notes()).isEmpty();
    }

    @Test
    void batchCreateIsCreatedWhenEveryInputIsValid() {
        // §7.1 request
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inputs.add(Map.of("objectWriteTraceId", "evt-" + i, "properties", Map.of("hs_timestamp", "1717409100000",
                    "hs_note_body", "Opportunity won: $12,000"), "associations", List.of(association(contactId))));
        }
        HttpResponse<String> r = client.post(NOTES + "/batch/create", write(Map.of("inputs", inputs)));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("status").asText()).isEqualTo("COMPLETE");
        assertThat(json(r).get("results")).hasSize(3);
        assertThat(emulator.portal().notes()).hasSize(3).allSatisfy(n -> assertThat(n.contactIds()).containsExactly(contactId));
    }

    @Test
    void batchCreateWithTraceIdsReportsBadInputsAsMultiStatus() {
        // §7.1 multi-status example: the unknown property fails only its own input
        List<Map<String, Object>> inputs = List.of(
                Map.of("objectWriteTraceId", "ok-1", "properties", Map.of("hs_timestamp", "1717409100000"), "associations", List.of()),
                Map.of("objectWriteTraceId", "549b1c2a9351", "properties", Map.of("hs_timestamp", "1717409100000", "missing", "x"),
                        "associations", List.of()));
        HttpResponse<String> r = client.post(NOTES + "/batch/create", write(Map.of("inputs", inputs)));
        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode body = json(r);
        assertSameShape(fixture("notes-batch-create-multi-status.json"), body);
        JsonNode error = body.get("errors").get(0);
        assertThat(error.get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.get("message").asText()).contains("PROPERTY_DOESNT_EXIST").contains("\\\"missing\\\"");
        assertThat(error.get("context").get("objectWriteTraceId").get(0).asText()).isEqualTo("549b1c2a9351");
        assertThat(emulator.portal().notes()).hasSize(1);
    }

    @Test
    void batchCreateWithoutTraceIdsFailsAsAWhole() {
        List<Map<String, Object>> inputs = List.of(
                Map.of("properties", Map.of("hs_timestamp", "1717409100000"), "associations", List.of()),
                Map.of("properties", Map.of("hs_note_body", "no timestamp"), "associations", List.of()));
        assertThat(client.post(NOTES + "/batch/create", write(Map.of("inputs", inputs))).statusCode()).isEqualTo(400);
        assertThat(emulator.portal().notes()).isEmpty();
        assertThat(emulator.journal().count("hubspot.notes.batch.create")).isEqualTo(1);
    }

    @Test
    void notesAreSearchedByTheirContactAssociationWithTheSearchShapeAndPaging() {
        String other = emulator.portal().createContact(Map.of("email", "grace@example.com"));
        for (int i = 0; i < 3; i++) {
            assertThat(client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000", "hs_note_body", "note " + i),
                    "associations", List.of(association(contactId))))).statusCode()).isEqualTo(201);
        }
        client.post(NOTES, write(Map.of("properties", Map.of("hs_timestamp", "1717409100000", "hs_note_body", "elsewhere"),
                "associations", List.of(association(other)))));
        // search guide: /crm/v3/objects/{object}/search, engagements included; §4: the associations.contact pseudo-property
        String search = write(Map.of("filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", "associations.contact",
                "operator", "EQ", "value", contactId)))), "properties", List.of("hs_note_body"), "limit", 2, "after", "0"));
        HttpResponse<String> first = client.post(NOTES + "/search", search);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode body = json(first);
        assertThat(body.get("total").asInt()).isEqualTo(3);
        assertThat(body.get("results")).hasSize(2);
        assertThat(body.get("results").get(0).get("properties").get("hs_note_body").asText()).startsWith("note ");
        assertThat(body.get("paging").get("next").get("after").asText()).isEqualTo("2");
        JsonNode second = json(client.post(NOTES + "/search", search.replace("\"after\":\"0\"", "\"after\":\"2\"")));
        assertThat(second.get("results")).hasSize(1);
        assertThat(second.has("paging")).isFalse();
        assertThat(client.post(NOTES + "/search", search.replace("\"limit\":2", "\"limit\":201")).statusCode()).isEqualTo(400);
    }
}
