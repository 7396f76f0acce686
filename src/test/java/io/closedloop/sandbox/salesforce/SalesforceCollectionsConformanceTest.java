package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.fixture;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays the sObject Collections examples of reference §3 (fixtures under resources/salesforce/). */
class SalesforceCollectionsConformanceTest {
    private SalesforceEmulator emulator;
    private SalesforceTestClient client;
    private String leadId;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0);
        client = new SalesforceTestClient(emulator).login();
        leadId = emulator.org().insert("Lead", Map.of("LastName", "Lovelace", "Company", "AE", "Email", "ada@example.com"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void createReturnsSaveResultsInRequestOrderPerSection31() {
        HttpResponse<String> r = client.send("POST", V + "/composite/sobjects", fixture("collections-create-tasks.json",
                Map.of("LEAD_ID", leadId, "USER_ID", emulator.org().userId())));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode results = json(r);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("id").asText()).startsWith("00T").hasSize(18);
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(0).get("errors")).isEmpty();
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        JsonNode error = results.get(1).get("errors").get(0);
        assertThat(error.get("statusCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(error.get("message").asText()).isEqualTo("Status: bad value for restricted picklist field: NotAValue");
        assertThat(error.get("fields").get(0).asText()).isEqualTo("Status");
        assertThat(emulator.org().all("Task")).hasSize(1);
        assertThat(emulator.journal().count("salesforce.collections.create", "POST")).isEqualTo(1);
    }

    @Test
    void allOrNoneRollsBackEveryRecordPerSection31() {
        String body = fixture("collections-create-tasks.json", Map.of("LEAD_ID", leadId, "USER_ID", emulator.org().userId()))
                .replace("\"allOrNone\": false", "\"allOrNone\": true");
        JsonNode results = json(client.send("POST", V + "/composite/sobjects", body));
        assertThat(results.get(0).get("success").asBoolean()).isFalse();
        JsonNode rolledBack = results.get(0).get("errors").get(0);
        assertThat(rolledBack.get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(rolledBack.get("message").asText()).isEqualTo("Record rolled back because not all records were valid and"
                + " the request was using AllOrNone header");
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(emulator.org().all("Task")).isEmpty();
    }

    @Test
    void updateChangesOnlyTheFieldsSentPerSection32() {
        String contactId = emulator.org().insert("Contact", Map.of("LastName", "Hopper", "Email", "grace@example.com"));
        JsonNode results = json(client.send("PATCH", V + "/composite/sobjects", fixture("collections-update-scores.json",
                Map.of("LEAD_ID", leadId, "CONTACT_ID", contactId))));
        assertThat(results.get(0).get("id").asText()).isEqualTo(leadId);
        assertThat(results.get(1).get("success").asBoolean()).isTrue();
        assertThat(emulator.org().get("Lead", leadId)).containsEntry("Marketing_Engagement_Score__c", new BigDecimal(35))
                .containsEntry("Last_Marketing_Activity_At__c", Instant.parse("2024-06-03T09:14:11Z"))
                .containsEntry("Email", "ada@example.com");
        assertThat(emulator.org().get("Contact", contactId)).containsEntry("Marketing_Engagement_Score__c", new BigDecimal(80));
    }

    @Test
    void updatesOfConvertedOrLockedRecordsFailPerRecord() {
        String other = emulator.org().insert("Lead", Map.of("LastName", "Other", "Company", "X"));
        emulator.org().convertLead(leadId, null, false);
        emulator.org().lockRecordsOnce(other);
        List<Map<String, Object>> records = List.of(
                Map.of("attributes", Map.of("type", "Lead"), "id", leadId, "Email", "new@x.com"),
                Map.of("attributes", Map.of("type", "Lead"), "id", other, "Email", "new@x.com"),
                Map.of("attributes", Map.of("type", "Lead"), "Email", "new@x.com"),
                Map.of("attributes", Map.of("type", "Lead"), "id", other, "IsConverted", true));
        JsonNode results = json(client.send("PATCH", V + "/composite/sobjects", Map.of("records", records)));
        assertThat(codes(results)).containsExactly("CANNOT_UPDATE_CONVERTED_LEAD", "UNABLE_TO_LOCK_ROW", "MISSING_ARGUMENT",
                "INVALID_FIELD_FOR_INSERT_UPDATE");
        JsonNode retry = json(client.send("PATCH", V + "/composite/sobjects", Map.of("records", List.of(records.get(1)))));
        assertThat(retry.get(0).get("success").asBoolean()).isTrue();
    }

    @Test
    void upsertReportsCreatedTrueThenFalsePerSection33() {
        String path = V + "/composite/sobjects/Lead/HubSpot_Contact_Id__c";
        JsonNode first = json(client.send("PATCH", path, fixture("collections-upsert-leads.json", Map.of())));
        assertThat(first).allSatisfy(r -> {
            assertThat(r.get("success").asBoolean()).isTrue();
            assertThat(r.get("created").asBoolean()).isTrue();
            assertThat(r.get("errors")).isEmpty();
        });
        JsonNode second = json(client.send("PATCH", path, fixture("collections-upsert-leads.json", Map.of())));
        assertThat(second).allSatisfy(r -> assertThat(r.get("created").isBoolean() && !r.get("created").asBoolean()).isTrue());
        assertThat(second.get(0).get("id").asText()).isEqualTo(first.get(0).get("id").asText());
        assertThat(emulator.org().query("SELECT Id FROM Lead WHERE HubSpot_Contact_Id__c != null")).hasSize(2);
    }

    @Test
    void upsertRejectsRecordIdsAndNonExternalIdFields() {
        JsonNode withId = json(client.send("PATCH", V + "/composite/sobjects/Lead/HubSpot_Contact_Id__c", Map.of("records",
                List.of(Map.of("attributes", Map.of("type", "Lead"), "Id", leadId, "HubSpot_Contact_Id__c", "1")))));
        assertThat(codes(withId)).containsExactly("INVALID_FIELD");
        HttpResponse<String> notExternal = client.send("PATCH", V + "/composite/sobjects/Task/Closedloop_Event_Id__c",
                Map.of("records", List.of(Map.of("attributes", Map.of("type", "Task"), "Closedloop_Event_Id__c", "e1"))));
        assertThat(notExternal.statusCode()).isEqualTo(400);
        assertThat(json(notExternal).get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void moreThan200RecordsOrAMissingTypeAreRejected() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            records.add(Map.of("attributes", Map.of("type", "Account"), "Name", "A" + i));
        }
        HttpResponse<String> tooMany = client.send("POST", V + "/composite/sobjects", Map.of("records", records));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).get(0).get("errorCode").isTextual()).isTrue();
        assertThat(emulator.org().all("Account")).isEmpty();
        Map<String, Object> untyped = new LinkedHashMap<>(Map.of("Name", "No type"));
        JsonNode results = json(client.send("POST", V + "/composite/sobjects", Map.of("records", List.of(untyped))));
        assertThat(codes(results)).containsExactly("INVALID_TYPE");
    }

    @Test
    void duplicateUniqueExternalIdsFailWithDuplicateValue() {
        Map<String, Object> activity = Map.of("attributes", Map.of("type", "Marketing_Activity__c"),
                "Activity_Type__c", "Email Click", "Source__c", "HubSpot Email", "Occurred_At__c", "2024-06-03T09:14:11Z",
                "Closedloop_Event_Id__c", "evt-1");
        JsonNode results = json(client.send("POST", V + "/composite/sobjects", Map.of("records", List.of(activity, activity))));
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(codes(results)).containsExactly("DUPLICATE_VALUE");
    }

    private static List<String> codes(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(r -> {
            if (!r.get("success").asBoolean()) {
                out.add(r.get("errors").get(0).get("statusCode").asText());
            }
        });
        return out;
    }
}
