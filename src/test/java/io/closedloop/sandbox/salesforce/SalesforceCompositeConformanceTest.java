package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.fixture;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays the Composite example of reference §4: query, dependent create and update in one call. */
class SalesforceCompositeConformanceTest {
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
    void compositeResolvesReferencesAndAnswersPerSubrequestPerSection4() {
        long before = emulator.org().apiCallsToday();
        HttpResponse<String> r = client.send("POST", V + "/composite", fixture("composite-lead-task.json",
                Map.of("ALL_OR_NONE", "true", "TASK_STATUS", "Completed")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode responses = json(r).get("compositeResponse");
        assertThat(responses).hasSize(3);
        JsonNode query = responses.get(0);
        assertThat(query.get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(query.get("referenceId").asText()).isEqualTo("refLead");
        assertThat(query.get("body").get("records").get(0).get("Id").asText()).isEqualTo(leadId);
        JsonNode task = responses.get(1);
        assertThat(task.get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(task.get("body").get("success").asBoolean()).isTrue();
        String taskId = task.get("body").get("id").asText();
        assertThat(task.get("httpHeaders").get("Location").asText()).isEqualTo(V + "/sobjects/Task/" + taskId);
        JsonNode update = responses.get(2);
        assertThat(update.get("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(update.get("body").isNull()).isTrue();
        assertThat(emulator.org().get("Task", taskId)).containsEntry("WhoId", leadId).containsEntry("OwnerId",
                emulator.org().userId());
        assertThat(emulator.org().get("Lead", leadId)).containsEntry("Marketing_Summary__c", "Contact us");
        // the whole composite counts as one API call (§4)
        assertThat(emulator.org().apiCallsToday() - before).isEqualTo(1);
        assertThat(emulator.journal().count("salesforce.composite", "POST")).isEqualTo(1);
    }

    @Test
    void allOrNoneFailureHaltsAndRollsBackTheOthers() {
        JsonNode responses = json(client.send("POST", V + "/composite", fixture("composite-lead-task.json",
                Map.of("ALL_OR_NONE", "true", "TASK_STATUS", "Bogus")))).get("compositeResponse");
        assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(0).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(responses.get(1).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(1).get("body").get(0).get("errorCode").asText())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(responses.get(2).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(emulator.org().all("Task")).isEmpty();
        assertThat(emulator.org().get("Lead", leadId).get("Marketing_Summary__c")).isNull();
    }

    @Test
    void withoutAllOrNoneOnlyDependentsOfAFailureAreHalted() {
        String body = """
                {"compositeRequest":[
                  {"method":"POST","referenceId":"badAccount","url":"/services/data/v62.0/sobjects/Account","body":{}},
                  {"method":"POST","referenceId":"contact","url":"/services/data/v62.0/sobjects/Contact",
                   "body":{"LastName":"X","AccountId":"@{badAccount.id}"}},
                  {"method":"PATCH","referenceId":"upsert",
                   "url":"/services/data/v62.0/sobjects/Lead/HubSpot_Contact_Id__c/HS-9",
                   "body":{"LastName":"Upserted","Company":"C"}},
                  {"method":"GET","referenceId":"none","url":"/services/data/v62.0/query/?q=SELECT+Id+FROM+Lead+WHERE+Email='nobody@x.com'"},
                  {"method":"PATCH","referenceId":"useEmpty","url":"/services/data/v62.0/sobjects/Lead/@{none.records[0].Id}",
                   "body":{"Email":"a@b.com"}}
                ]}""";
        JsonNode responses = json(client.send("POST", V + "/composite", body)).get("compositeResponse");
        assertThat(statuses(responses)).containsExactly(400, 400, 201, 200, 400);
        assertThat(responses.get(0).get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(responses.get(2).get("body").get("created").asBoolean()).isTrue();
        assertThat(responses.get(4).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(emulator.org().query("SELECT Id FROM Lead WHERE HubSpot_Contact_Id__c = 'HS-9'")).hasSize(1);
    }

    @Test
    void describeSubrequestsAnswerLikeTheDescribeResourceAndSeeSchemaDrift() {
        // Composite supports all sObject resources, describe included (reference [COMPOSITE])
        emulator.org().removeField("Lead", "MQL_At__c");
        emulator.org().replacePicklistValues("Marketing_Activity__c", "Source__c", "HubSpot Email");
        emulator.org().revokeFieldEdit("Contact", "Marketing_Summary__c");
        List<Map<String, Object>> subs = new ArrayList<>();
        for (String object : List.of("Lead", "Contact", "Marketing_Activity__c", "Nope__c")) {
            subs.add(Map.of("method", "GET", "referenceId", object.replace("_", ""), "url", V + "/sobjects/" + object + "/describe"));
        }
        long before = emulator.org().apiCallsToday();
        JsonNode responses = json(client.send("POST", V + "/composite", Map.of("allOrNone", false, "compositeRequest", subs)))
                .get("compositeResponse");
        assertThat(statuses(responses)).containsExactly(200, 200, 200, 404);
        assertThat(responses.get(0).get("body").get("name").asText()).isEqualTo("Lead");
        assertThat(responses.get(0).get("body").get("fields").findValuesAsText("name")).contains("Marketing_Summary__c")
                .doesNotContain("MQL_At__c");
        JsonNode summary = field(responses.get(1).get("body"), "Marketing_Summary__c");
        assertThat(summary.get("updateable").asBoolean()).isFalse();
        assertThat(summary.get("createable").asBoolean()).isFalse();
        JsonNode source = field(responses.get(2).get("body"), "Source__c");
        assertThat(source.get("restrictedPicklist").asBoolean()).isTrue();
        assertThat(source.get("picklistValues").findValuesAsText("value")).containsExactly("HubSpot Email");
        assertThat(responses.get(3).get("body").get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(emulator.org().apiCallsToday() - before).isEqualTo(1);
        // the drift is real for writes too, not only for describe
        assertThat(emulator.org().query("SELECT Id FROM Lead")).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> emulator.org().update("Lead", leadId, Map.of("MQL_At__c",
                "2024-01-01T00:00:00.000Z"))).hasMessageContaining("MQL_At__c");
    }

    private static JsonNode field(JsonNode describe, String name) {
        for (JsonNode f : describe.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name);
    }

    @Test
    void moreThan25SubrequestsOrMoreThan5QueriesAreRejected() {
        List<Map<String, Object>> subs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            subs.add(Map.of("method", "GET", "referenceId", "q" + i, "url", V + "/query/?q=SELECT+Id+FROM+Lead"));
        }
        HttpResponse<String> queries = client.send("POST", V + "/composite", Map.of("compositeRequest", subs));
        assertThat(queries.statusCode()).isEqualTo(400);
        assertThat(json(queries).get(0).get("errorCode").isTextual()).isTrue();
        subs.clear();
        for (int i = 0; i < 26; i++) {
            subs.add(Map.of("method", "GET", "referenceId", "d" + i, "url", V + "/sobjects/Lead/describe"));
        }
        assertThat(client.send("POST", V + "/composite", Map.of("compositeRequest", subs)).statusCode()).isEqualTo(400);
        subs.remove(0);
        assertThat(client.send("POST", V + "/composite", Map.of("compositeRequest", subs)).statusCode()).isEqualTo(200);
    }

    private static List<Integer> statuses(JsonNode responses) {
        List<Integer> out = new ArrayList<>();
        responses.forEach(r -> out.add(r.get("httpStatusCode").asInt()));
        return out;
    }
}
