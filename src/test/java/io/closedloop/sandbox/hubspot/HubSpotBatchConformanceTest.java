package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertIsoMillis;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotBatchConformanceTest {
    private static final String READ = "/crm/v3/objects/contacts/batch/read";
    private static final String UPDATE = "/crm/v3/objects/contacts/batch/update";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-03T09:20:40.551Z"));
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;
    private String adaId;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
        adaId = emulator.portal().createContact(Map.of("email", "ada@example.com", "firstname", "Ada", "lastname", "Lovelace",
                "hs_lead_status", "NEW"));
        emulator.portal().createContact(Map.of("email", "Ada2@Example.com", "lifecyclestage", "lead"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private static Map<String, Object> readByEmail(String... emails) {
        List<Map<String, String>> inputs = new ArrayList<>();
        for (String e : emails) {
            inputs.add(Map.of("id", e));
        }
        return Map.of("idProperty", "email", "inputs", inputs, "properties", List.of("email", "firstname", "lastname", "hs_lead_status", "lastmodifieddate"), "propertiesWithHistory", List.of());
    }

    @Test
    void readByEmailWhenAllFoundIsCompleteWithTheDocumentedShape() {
        // §5.1, 200 example (request without the missing input)
        HttpResponse<String> r = client.post(READ, write(readByEmail("ada@example.com")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertSameShape(fixture("contacts-batch-read-complete.json"), body);
        assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(body.has("errors")).isFalse();
        assertThat(body.get("results").get(0).get("id").asText()).isEqualTo(adaId);
        assertIsoMillis(body.get("startedAt").asText());
    }

    @Test
    void documentedReadWithAMissingEmailIsMultiStatusWithObjectNotFound() {
        // §5.1, 207 example: same request as the documentation
        HttpResponse<String> r = client.post(READ, fixture("contacts-batch-read-request.json").toString());
        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode body = json(r);
        assertSameShape(fixture("contacts-batch-read-partial.json"), body);
        assertThat(body.get("numErrors").asInt()).isEqualTo(1);
        JsonNode error = body.get("errors").get(0);
        assertThat(error.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(error.get("context").get("ids").get(0).asText()).isEqualTo("nobody@example.com");
        assertThat(body.get("results").get(0).get("properties").get("email").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void emailLookupIgnoresCaseAndIdsReadByRecordId() {
        JsonNode byEmail = json(client.post(READ, write(readByEmail("ADA2@example.COM"))));
        assertThat(byEmail.get("results").get(0).get("properties").get("email").asText()).isEqualTo("Ada2@Example.com");
        HttpResponse<String> byId = client.post(READ, write(Map.of("inputs", List.of(Map.of("id", adaId), Map.of("id", "999999")),
                "properties", List.of("firstname"))));
        assertThat(byId.statusCode()).isEqualTo(207);
        assertThat(json(byId).get("results").get(0).get("properties").get("firstname").asText()).isEqualTo("Ada");
    }

    @Test
    void moreThanOneHundredInputsIsRejected() {
        List<Map<String, String>> inputs = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            inputs.add(Map.of("id", Integer.toString(i)));
        }
        HttpResponse<String> read = client.post(READ, write(Map.of("inputs", inputs, "properties", List.of())));
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(json(read).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(client.post(READ, write(Map.of("inputs", inputs.subList(0, 100), "properties", List.of()))).statusCode()).isEqualTo(207);
        List<Map<String, Object>> updates = new ArrayList<>();
        inputs.forEach(i -> updates.add(Map.of("id", i.get("id"), "properties", Map.of("firstname", "x"))));
        assertThat(client.post(UPDATE, write(Map.of("inputs", updates))).statusCode()).isEqualTo(400);
    }

    @Test
    void documentedUpdateWritesValuesAsStringsAndBumpsLastModified() {
        // §5.2 request example; its custom enumeration is created first, as the daemon bootstraps it (§6.2)
        assertThat(client.post("/crm/v3/properties/contacts/groups", fixture("properties-groups-create-request.json").toString()).statusCode())
                .isEqualTo(201);
        assertThat(client.post("/crm/v3/properties/contacts", fixture("properties-create-enumeration.json").toString()).statusCode())
                .isEqualTo(201);
        String before = emulator.portal().contact(adaId).get("lastmodifieddate");
        clock.advance(Duration.ofMinutes(3));
        String request = fixture("contacts-batch-update-request.json").toString().replace("\"100451\"", "\"" + adaId + "\"");
        HttpResponse<String> r = client.post(UPDATE, request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        // same envelope as batch read (§5.2); the properties echo what was written
        com.fasterxml.jackson.databind.node.ObjectNode envelope = (com.fasterxml.jackson.databind.node.ObjectNode) fixture("contacts-batch-read-complete.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("results").get(0)).putObject("properties");
        assertSameShape(envelope, body);
        Set<String> statuses = new HashSet<>();
        body.get("results").forEach(res -> {
            res.get("properties").fields().forEachRemaining(f -> assertThat(f.getValue().isTextual() || f.getValue().isNull()).isTrue());
            statuses.add(res.get("updatedAt").asText());
        });
        assertThat(statuses).containsExactly("2024-06-03T09:23:40.551Z");
        Map<String, String> ada = emulator.portal().contact(adaId);
        assertThat(ada).containsEntry("hs_lead_status", "UNQUALIFIED").containsEntry("sales_rejection_reason", "no_budget");
        assertThat(ada.get("lastmodifieddate")).isNotEqualTo(before).isEqualTo("2024-06-03T09:23:40.551Z");
        assertThat(emulator.portal().contacts()).anySatisfy(c -> assertThat(c).containsEntry("lifecyclestage", "salesqualifiedlead"));
    }

    @Test
    void emptyStringClearsAValue() {
        HttpResponse<String> r = client.post(UPDATE, write(Map.of("inputs", List.of(Map.of("id", adaId,
                "properties", Map.of("firstname", ""))))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(emulator.portal().contact(adaId)).doesNotContainKey("firstname").containsEntry("lastname", "Lovelace");
    }

    @Test
    void invalidEnumerationOptionFailsTheWholeBatch() {
        HttpResponse<String> r = client.post(UPDATE, write(Map.of("inputs", List.of(
                Map.of("id", adaId, "properties", Map.of("firstname", "Changed")),
                Map.of("id", adaId, "properties", Map.of("hs_lead_status", "new"))))));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        // §5.2 / §11.3: the message embeds the property errors as a JSON array
        assertSameShape(fixture("error-validation.json"), body);
        assertThat(body.get("message").asText()).startsWith("Property values were not valid: [").contains("\"error\":\"INVALID_OPTION\"")
                .contains("\"name\":\"hs_lead_status\"");
        assertThat(emulator.portal().contact(adaId)).containsEntry("firstname", "Ada");
    }

    @Test
    void unknownAndReadOnlyPropertiesAreValidationErrors() {
        HttpResponse<String> unknown = client.post(UPDATE, write(Map.of("inputs", List.of(Map.of("id", adaId,
                "properties", Map.of("favourite_colour", "blue"))))));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(json(unknown).get("message").asText()).contains("PROPERTY_DOESNT_EXIST");
        HttpResponse<String> readOnly = client.post(UPDATE, write(Map.of("inputs", List.of(Map.of("id", adaId,
                "properties", Map.of("hs_analytics_num_page_views", "4"))))));
        assertThat(readOnly.statusCode()).isEqualTo(400);
        assertThat(json(readOnly).get("message").asText()).contains("READ_ONLY_VALUE");
    }

    @Test
    void updateOfAMissingRecordIsMultiStatusAndTheRestIsWritten() {
        HttpResponse<String> r = client.post(UPDATE, write(Map.of("inputs", List.of(
                Map.of("id", adaId, "properties", Map.of("hs_lead_status", "OPEN")),
                Map.of("id", "424242", "objectWriteTraceId", "trace-1", "properties", Map.of("hs_lead_status", "OPEN"))))));
        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode body = json(r);
        assertThat(body.get("results")).hasSize(1);
        assertThat(body.get("errors").get(0).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(body.get("errors").get(0).get("context").get("ids").get(0).asText()).isEqualTo("424242");
        assertThat(body.get("errors").get(0).get("context").get("objectWriteTraceId").get(0).asText()).isEqualTo("trace-1");
        assertThat(emulator.portal().contact(adaId)).containsEntry("hs_lead_status", "OPEN");
        assertThat(emulator.journal().count("hubspot.contacts.batch.update")).isEqualTo(1);
    }
}
