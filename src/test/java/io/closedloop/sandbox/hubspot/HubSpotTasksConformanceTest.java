package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertIsoMillis;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tasks endpoint against its documented shape: second-batch-notes.md §4 and HubSpot "Activities | Tasks"
 * (developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/guide); the association labels answer follows
 * the v4 "Retrieve association labels" schema (results of category, typeId, label).
 */
class HubSpotTasksConformanceTest {
    private static final String TASKS = "/crm/v3/objects/tasks";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-05T08:00:00.000Z"));
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

    private Map<String, Object> task(Map<String, String> properties, int typeId, String to) {
        return Map.of("properties", properties, "associations", List.of(Map.of("to", Map.of("id", to),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", typeId)))));
    }

    private Map<String, String> documented() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hs_timestamp", "2026-03-05T08:00:00.000Z");
        p.put("hs_task_subject", "Follow up");
        p.put("hs_task_body", "Handed back by sales");
        p.put("hs_task_status", "NOT_STARTED");
        p.put("hs_task_priority", "HIGH");
        p.put("hs_task_type", "TODO");
        p.put("hubspot_owner_id", "41629779");
        return p;
    }

    @Test
    void theTaskToContactTypeIsReadFromTheAssociationLabels() {
        HttpResponse<String> r = client.get("/crm/v4/associations/tasks/contacts/labels");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode label = json(r).get("results").get(0);
        assertThat(label.get("category").asText()).isEqualTo("HUBSPOT_DEFINED");
        assertThat(label.get("typeId").asInt()).isEqualTo(204);
        assertThat(label.has("label")).isTrue();
    }

    @Test
    void documentedTaskCreateIsCreatedWithItsContactAssociation() {
        HttpResponse<String> r = client.post(TASKS, write(task(documented(), 204, contactId)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("properties").get("hs_object_id").asText()).isEqualTo(body.get("id").asText());
        assertThat(body.get("archived").asBoolean()).isFalse();
        assertIsoMillis(body.get("createdAt").asText());
        assertThat(emulator.portal().tasks()).singleElement().satisfies(t -> {
            assertThat(t.contactIds()).containsExactly(contactId);
            assertThat(t.properties()).containsEntry("hs_task_status", "NOT_STARTED").containsEntry("hubspot_owner_id", "41629779")
                    .containsEntry("hs_timestamp", "2026-03-05T08:00:00.000Z");
        });
    }

    @Test
    void hsTimestampIsRequiredAndAcceptsEpochMillis() {
        Map<String, String> none = documented();
        none.remove("hs_timestamp");
        HttpResponse<String> r = client.post(TASKS, write(task(none, 204, contactId)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("hs_timestamp");
        Map<String, String> epoch = documented();
        epoch.put("hs_timestamp", Long.toString(Instant.parse("2026-03-05T09:00:00Z").toEpochMilli()));
        HttpResponse<String> ok = client.post(TASKS, write(task(epoch, 204, contactId)));
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(json(ok).get("properties").get("hs_timestamp").asText()).isEqualTo("2026-03-05T09:00:00.000Z");
    }

    @Test
    void undocumentedValuesUnknownPropertiesWrongTypesAndMissingContactsAreRefused() {
        Map<String, String> status = documented();
        status.put("hs_task_status", "DONE");
        assertThat(client.post(TASKS, write(task(status, 204, contactId))).statusCode()).isEqualTo(400);
        Map<String, String> priority = documented();
        priority.put("hs_task_priority", "URGENT");
        assertThat(client.post(TASKS, write(task(priority, 204, contactId))).statusCode()).isEqualTo(400);
        Map<String, String> unknown = documented();
        unknown.put("hs_task_colour", "red");
        assertThat(client.post(TASKS, write(task(unknown, 204, contactId))).statusCode()).isEqualTo(400);
        // 202 is the note-to-contact type (§7), not the task's
        assertThat(client.post(TASKS, write(task(documented(), 202, contactId))).statusCode()).isEqualTo(400);
        assertThat(client.post(TASKS, write(task(documented(), 204, "999"))).statusCode()).isEqualTo(400);
        assertThat(emulator.portal().tasks()).isEmpty();
    }
}
