package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.Fault;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits, sessions, describe and injected faults (reference §6, §9). */
class SalesforceLimitsAndFaultsTest {
    private SalesforceEmulator emulator;

    @AfterEach
    void stop() {
        emulator.close();
    }

    private SalesforceTestClient start(SalesforceEmulator.Config config) throws Exception {
        emulator = new SalesforceEmulator(config).start(0);
        return new SalesforceTestClient(emulator).login();
    }

    @Test
    void limitsAndTheLimitInfoHeaderAgreePerSection61And62() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults().withDailyApiLimit(15_000));
        HttpResponse<String> query = client.query("SELECT Id FROM Lead");
        assertThat(query.headers().firstValue("Sforce-Limit-Info")).contains("api-usage=1/15000");
        HttpResponse<String> limits = client.get(V + "/limits");
        assertThat(limits.headers().firstValue("Sforce-Limit-Info")).contains("api-usage=2/15000");
        JsonNode daily = json(limits).get("DailyApiRequests");
        assertThat(daily.get("Max").isNumber()).isTrue();
        assertThat(daily.get("Max").asLong()).isEqualTo(15_000);
        assertThat(daily.get("Remaining").asLong()).isEqualTo(14_998);
        // the versions resource does not count (§6.2)
        HttpResponse<String> versions = client.get("/services/data/");
        assertThat(json(versions).get(0).has("version")).isTrue();
        assertThat(emulator.org().apiCallsToday()).isEqualTo(2);
    }

    @Test
    void spentAllocationAnswers403RequestLimitExceeded() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults().withDailyApiLimit(2));
        assertThat(client.query("SELECT Id FROM Lead").statusCode()).isEqualTo(200);
        assertThat(client.query("SELECT Id FROM Lead").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = client.query("SELECT Id FROM Lead");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused)).isEqualTo(SalesforceTestClient.JSON.readTree(
                "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));
        assertThat(emulator.org().apiCallsToday()).isEqualTo(2);
    }

    @Test
    void expiredSessionsAnswer401InvalidSessionIdUntilLoginAgain() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        emulator.expireSessions();
        HttpResponse<String> expired = client.query("SELECT Id FROM Lead");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired)).isEqualTo(SalesforceTestClient.JSON.readTree(
                "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));
        client.login();
        assertThat(client.query("SELECT Id FROM Lead").statusCode()).isEqualTo(200);
        client.token = null;
        assertThat(client.get(V + "/limits").statusCode()).isEqualTo(401);
    }

    @Test
    void describeReportsFieldAttributesForStartupChecks() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        JsonNode lead = json(client.get(V + "/sobjects/Lead/describe"));
        assertThat(lead.get("name").asText()).isEqualTo("Lead");
        JsonNode hubspotId = field(lead, "HubSpot_Contact_Id__c");
        assertThat(hubspotId.get("externalId").asBoolean()).isTrue();
        assertThat(hubspotId.get("type").asText()).isEqualTo("string");
        assertThat(hubspotId.get("length").asInt()).isEqualTo(32);
        JsonNode status = field(lead, "Status");
        assertThat(status.get("restrictedPicklist").asBoolean()).isTrue();
        assertThat(status.get("picklistValues").get(0).get("value").asText()).isEqualTo("Open - Not Contacted");
        assertThat(status.get("picklistValues").get(0).get("defaultValue").asBoolean()).isTrue();
        assertThat(field(lead, "IsConverted").get("updateable").asBoolean()).isFalse();
        JsonNode owner = field(lead, "OwnerId");
        assertThat(owner.get("referenceTo").get(0).asText()).isEqualTo("User");
        assertThat(owner.get("relationshipName").asText()).isEqualTo("Owner");
        // §7.3: the Task describe check finds no External ID on the Activity custom field
        JsonNode task = json(client.get(V + "/sobjects/Task/describe"));
        assertThat(field(task, "Closedloop_Event_Id__c").get("externalId").asBoolean()).isFalse();
        assertThat(client.get(V + "/sobjects/Nope__c/describe").statusCode()).isEqualTo(404);
    }

    @Test
    void injectedFaultsRenderSalesforceErrorBodies() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        emulator.faults().script("salesforce.query", Fault.serverError(503), Fault.serverError(500), Fault.rateLimit("DAILY"));
        HttpResponse<String> unavailable = client.query("SELECT Id FROM Lead");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(json(unavailable).get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        HttpResponse<String> internal = client.query("SELECT Id FROM Lead");
        assertThat(internal.statusCode()).isEqualTo(500);
        assertThat(json(internal).get(0).get("errorCode").asText()).isEqualTo("UNKNOWN_EXCEPTION");
        HttpResponse<String> limited = client.query("SELECT Id FROM Lead");
        assertThat(limited.statusCode()).isEqualTo(403);
        assertThat(json(limited).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        HttpResponse<String> missing = client.get(V + "/nothing/here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing)).isEqualTo(SalesforceTestClient.JSON.readTree(
                "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]"));
        assertThat(client.query("SELECT Id FROM Lead").statusCode()).isEqualTo(200);
    }

    @Test
    void lockFailureRateFailsApiWritesWithUnableToLockRow() throws Exception {
        SalesforceTestClient client = start(SalesforceEmulator.Config.defaults());
        emulator.org().lockFailureRate(1.0);
        HttpResponse<String> r = client.send("POST", V + "/sobjects/Account", Map.of("Name", "Locked"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get(0).get("errorCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        emulator.org().lockFailureRate(0);
        HttpResponse<String> ok = client.send("POST", V + "/sobjects/Account", Map.of("Name", "Free"));
        assertThat(ok.statusCode()).isEqualTo(201);
        String id = json(ok).get("id").asText();
        JsonNode read = json(client.get(V + "/sobjects/Account/" + id));
        assertThat(read.get("Name").asText()).isEqualTo("Free");
        assertThat(read.get("CreatedDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000");
    }

    private static JsonNode field(JsonNode describe, String name) {
        for (JsonNode f : describe.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name);
    }
}
