package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Campaign, CampaignMember and CampaignMemberStatus as salesforce-api.md §7.5 and second-batch-notes.md §3 describe them,
 * through the REST API: one member per campaign and person, member statuses per campaign with HasResponded following the
 * status, and Collections upserts by the custom external ids Closedloop ships (CampaignMember has no standard one).
 */
class SalesforceCampaignConformanceTest {
    private SalesforceEmulator emulator;
    private SalesforceTestClient client;
    private String leadId;
    private String campaignId;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0);
        client = new SalesforceTestClient(emulator).login();
        leadId = emulator.org().insert("Lead", Map.of("LastName", "Lovelace", "Company", "AE", "Email", "ada@example.com"));
        campaignId = emulator.org().insert("Campaign", Map.of("Name", "June webinar"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode member(String body) {
        HttpResponse<String> r = client.send("POST", V + "/composite/sobjects", "{\"allOrNone\":false,\"records\":[" + body + "]}");
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get(0);
    }

    private String memberBody(String status) {
        return "{\"attributes\":{\"type\":\"CampaignMember\"},\"CampaignId\":\"" + campaignId + "\",\"LeadId\":\"" + leadId + "\""
                + (status == null ? "" : ",\"Status\":\"" + status + "\"") + "}";
    }

    @Test
    void aNewCampaignHasTheDefaultStatusSentAndTheRespondedStatusPerSecondBatchNotes3() {
        Map<Object, Map<String, Object>> statuses = emulator.org().query("SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus"
                + " WHERE CampaignId = '" + campaignId + "'").stream().collect(Collectors.toMap(s -> s.get("Label"), s -> s));
        assertThat(statuses).containsOnlyKeys("Sent", "Responded");
        assertThat(statuses.get("Sent")).containsEntry("IsDefault", true).containsEntry("HasResponded", false);
        assertThat(statuses.get("Responded")).containsEntry("IsDefault", false).containsEntry("HasResponded", true);
    }

    @Test
    void aMemberTakesTheDefaultStatusAndASecondMemberForTheSamePersonFailsPerSection75() {
        JsonNode first = member(memberBody(null));
        assertThat(first.path("success").asBoolean()).isTrue();
        assertThat(emulator.org().query("SELECT Status, HasResponded FROM CampaignMember")).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("Status", "Sent").containsEntry("HasResponded", false));
        JsonNode second = member(memberBody("Responded"));
        assertThat(second.path("success").asBoolean()).isFalse();
        assertThat(second.path("errors").get(0).path("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(emulator.org().query("SELECT Id FROM CampaignMember")).hasSize(1);
    }

    @Test
    void aStatusTheCampaignDoesNotDefineIsRefusedAndHasRespondedFollowsTheStatusRecord() {
        JsonNode unknown = member(memberBody("Opened"));
        assertThat(unknown.path("errors").get(0).path("statusCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        emulator.org().insert("CampaignMemberStatus", Map.of("CampaignId", campaignId, "Label", "Opened", "HasResponded", false,
                "SortOrder", 3));
        String id = member(memberBody("Opened")).path("id").asText();
        assertThat(emulator.org().query("SELECT HasResponded FROM CampaignMember WHERE Id = '" + id + "'").get(0))
                .containsEntry("HasResponded", false);
        HttpResponse<String> update = client.send("PATCH", V + "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":"
                + "\"CampaignMember\"},\"id\":\"" + id + "\",\"Status\":\"Responded\"}]}");
        assertThat(json(update).get(0).path("success").asBoolean()).isTrue();
        assertThat(emulator.org().query("SELECT HasResponded, FirstRespondedDate FROM CampaignMember WHERE Id = '" + id + "'").get(0))
                .containsEntry("HasResponded", true).satisfies(m -> assertThat(m.get("FirstRespondedDate")).isNotNull());
    }

    @Test
    void membersUpsertByTheShippedExternalIdWhoseCreateOnlyFieldsAnUpdateMayNotSendPerSecondBatchNotes3() {
        String url = V + "/composite/sobjects/CampaignMember/Closedloop_Member_Key__c";
        String record = "{\"attributes\":{\"type\":\"CampaignMember\"},\"Closedloop_Member_Key__c\":\"list:1:" + leadId + "\","
                + "\"CampaignId\":\"" + campaignId + "\",\"LeadId\":\"" + leadId + "\",\"Status\":\"Sent\"}";
        JsonNode created = json(client.send("PATCH", url, "{\"allOrNone\":false,\"records\":[" + record + "]}")).get(0);
        assertThat(created.path("created").asBoolean()).isTrue();
        // LeadId, ContactId and CampaignId are create-only: an update that sends them is refused, one without them applies
        JsonNode again = json(client.send("PATCH", url, "{\"allOrNone\":false,\"records\":[" + record + "]}")).get(0);
        assertThat(again.path("errors").get(0).path("statusCode").asText()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        String statusOnly = "{\"attributes\":{\"type\":\"CampaignMember\"},\"Closedloop_Member_Key__c\":\"list:1:" + leadId + "\","
                + "\"Status\":\"Responded\"}";
        JsonNode updated = json(client.send("PATCH", url, "{\"allOrNone\":false,\"records\":[" + statusOnly + "]}")).get(0);
        assertThat(updated.path("created").asBoolean()).isFalse();
        assertThat(updated.path("id").asText()).isEqualTo(created.path("id").asText());
        assertThat(emulator.org().query("SELECT Status FROM CampaignMember")).extracting(m -> m.get("Status")).isEqualTo(List.of("Responded"));
    }

    @Test
    void campaignsUpsertByTheirShippedKey() {
        String url = V + "/composite/sobjects/Campaign/Closedloop_Campaign_Key__c";
        String record = "{\"attributes\":{\"type\":\"Campaign\"},\"Closedloop_Campaign_Key__c\":\"list:9\",\"Name\":\"Sign-ups\","
                + "\"Description\":\"Offer: a demo\"}";
        JsonNode first = json(client.send("PATCH", url, "{\"records\":[" + record + "]}")).get(0);
        JsonNode second = json(client.send("PATCH", url, "{\"records\":[" + record + "]}")).get(0);
        assertThat(first.path("created").asBoolean()).isTrue();
        assertThat(second.path("created").asBoolean()).isFalse();
        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
    }
}
