package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.closedloop.config.FieldMapping;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.salesforce.SalesforceAccess;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.testsupport.SalesforceTestCamel;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.RetriableSyncException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup schema check against the Salesforce emulator, whose schema comes from salesforce/force-app. */
class SalesforceSchemaCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SalesforceTestCamel salesforce;
    private SalesforceEmulator emulator;
    private SalesforceClient client;

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceTestCamel.start(dir);
        emulator = salesforce.emulator();
        client = salesforce.client();
    }

    @AfterEach
    void stop() {
        salesforce.close();
    }

    private List<String> check(FieldMapping mapping) {
        return new SalesforceSchemaCheck(client, mapping).problems();
    }

    @Test
    void theShippedMetadataPassesInOneCompositeCall() {
        assertThat(check(FieldMapping.defaults())).isEmpty();
        assertThat(emulator.journal().counts()).containsEntry("POST salesforce.composite", 1L)
                .doesNotContainKey("GET salesforce.describe");
    }

    @Test
    void aMissingMappedFieldIsReportedByObjectAndField() {
        emulator.org().removeField("Lead", "MQL_At__c");
        List<String> problems = check(FieldMapping.defaults());
        assertThat(problems).containsExactly("Lead.MQL_At__c does not exist or is not visible for the integration user");
        assertThat(SalesforceSchemaCheck.summary(problems)).isEqualTo("Salesforce schema: Lead.MQL_At__c does not exist or is not visible"
                + " for the integration user; deploy the salesforce directory (sf project deploy start) and assign the"
                + " Closedloop_Integration permission set to the integration user");
    }

    @Test
    void theTaskEventIdFieldIsRequiredOnlyWhenKeyMomentTasksAreOn() {
        emulator.org().removeField("Task", "Closedloop_Event_Id__c");
        assertThat(check(FieldMapping.defaults())).isEmpty();
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), true).problems())
                .containsExactly("Task.Closedloop_Event_Id__c does not exist or is not visible for the integration user");
    }

    @Test
    void aFieldTheMappingNeverWritesIsNotRequired() throws Exception {
        emulator.org().removeField("Contact", "Marketing_Engagement_Score__c");
        Path file = Files.writeString(dir.resolve("fields.properties"), "Contact.Marketing_Engagement_Score__c=never\n");
        assertThat(check(FieldMapping.load(file))).isEmpty();
        assertThat(check(FieldMapping.defaults()))
                .containsExactly("Contact.Marketing_Engagement_Score__c does not exist or is not visible for the integration user");
    }

    @Test
    void aPicklistValueTheSinkWritesButTheOrgLacksIsReported() {
        List<String> labels = Arrays.stream(ActivityType.values()).map(ActivityType::label).filter(l -> !l.equals("Became MQL")).toList();
        emulator.org().replacePicklistValues("Marketing_Activity__c", "Activity_Type__c", labels.toArray(String[]::new));
        emulator.org().replacePicklistValues("Marketing_Activity__c", "Source__c", "HubSpot Email", "HubSpot Form");
        assertThat(check(FieldMapping.defaults())).containsExactly(
                "Marketing_Activity__c.Activity_Type__c restricted picklist lacks 'Became MQL'",
                "Marketing_Activity__c.Source__c restricted picklist lacks 'HubSpot CRM', 'HubSpot List'");
    }

    @Test
    void aFieldTheIntegrationUserCannotEditIsReportedWithThePermissionSetHint() {
        emulator.org().revokeFieldEdit("Account", "Marketing_Summary__c");
        emulator.org().revokeFieldEdit("Marketing_Activity__c", "Details__c");
        List<String> problems = check(FieldMapping.defaults());
        assertThat(problems).containsExactly("Account.Marketing_Summary__c is not updateable for the integration user",
                "Marketing_Activity__c.Details__c is not createable or updateable for the integration user");
        assertThat(SalesforceSchemaCheck.summary(problems)).endsWith("; deploy the salesforce directory (sf project deploy start)"
                + " and assign the Closedloop_Integration permission set to the integration user");
    }

    @Test
    void aFieldPermissionRemovedFromThePermissionSetIsNamedByObjectAndField() {
        emulator.org().permissionSet(SalesforceAccess.packagedWithout("Marketing_Activity__c.Details__c"));
        assertThat(check(FieldMapping.defaults()))
                .containsExactly("Marketing_Activity__c.Details__c does not exist or is not visible for the integration user");
    }

    @Test
    void aFieldThePermissionSetMakesReadOnlyIsNotUpdateable() {
        emulator.org().permissionSet(SalesforceAccess.packagedReadOnly("Lead.Marketing_Summary__c"));
        assertThat(check(FieldMapping.defaults())).containsExactly("Lead.Marketing_Summary__c is not updateable for the integration user");
    }

    @Test
    void objectPermissionsAreCheckedFromTheObjectDescribe() {
        emulator.org().permissionSet(SalesforceAccess.packagedWithoutObject("Lead"));
        // without read on Lead the describe answers 404, as for an object the org lacks
        assertThat(check(FieldMapping.defaults())).containsExactly("Lead does not exist or the integration user cannot read it");
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        for (String object : List.of("Lead", "Contact", "Account")) {
            describes.put(object, describe(FieldMapping.KNOWN.get(object), Map.of()));
        }
        describes.put(SalesforceNames.MARKETING_ACTIVITY, describe(SalesforceActivityRecord.FIELDS, Map.of()));
        List<String> leadFields = new java.util.ArrayList<>(FieldMapping.KNOWN.get("Lead"));
        leadFields.addAll(SalesforceSchemaCheck.LEAD_CREATE_FIELDS);
        describes.put("Lead", ((ObjectNode) describe(leadFields, Map.of())).put("createable", false).put("updateable", true));
        assertThat(SalesforceSchemaCheck.problems(describes, FieldMapping.defaults(), new SalesforceSchemaCheck.Needs(false, true, false)))
                .containsExactly("Lead (object) is not createable for the integration user");
        assertThat(SalesforceSchemaCheck.problems(describes, FieldMapping.defaults(), new SalesforceSchemaCheck.Needs(false, false, false)))
                .isEmpty();
    }

    @Test
    void validateAlsoChecksWhatTheOtherFlowsReadAndTheSlaTasks() {
        SalesforceSchemaCheck.Needs all = new SalesforceSchemaCheck.Needs(false, true, true);
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), all).problems()).isEmpty();
        emulator.org().permissionSet(SalesforceAccess.packagedWithoutObject("Opportunity"));
        emulator.org().removeField("Task", "Closedloop_Event_Id__c");
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), all).problems()).containsExactly(
                "Task.Closedloop_Event_Id__c does not exist or is not visible for the integration user",
                "Opportunity does not exist or the integration user cannot read it",
                // contact roles follow the opportunity
                "OpportunityContactRole does not exist or the integration user cannot read it");
        // Flow 1's gate does not stop for what only the other flows need
        assertThat(check(FieldMapping.defaults())).isEmpty();
    }

    @Test
    void withTheCampaignSyncValidateChecksTheCampaignAndMemberKeysAndTheirAccess() {
        SalesforceSchemaCheck.Needs campaigns = new SalesforceSchemaCheck.Needs(false, false, true, true);
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), campaigns).problems()).isEmpty();
        emulator.org().removeField("CampaignMember", "Closedloop_Member_Key__c");
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), campaigns).problems()).containsExactly(
                "CampaignMember.Closedloop_Member_Key__c does not exist or is not visible for the integration user");
        // without the campaign sync nothing asks for it
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), new SalesforceSchemaCheck.Needs(false, false, true)).problems())
                .isEmpty();
        emulator.org().permissionSet(SalesforceAccess.packagedWithoutObject("Campaign"));
        assertThat(new SalesforceSchemaCheck(client, FieldMapping.defaults(), campaigns).problems()).contains(
                "Campaign does not exist or the integration user cannot read it");
    }

    @Test
    void theLeadAndTaskFieldsCheckedAreEveryFieldTheWritersSend() {
        EngagementEvent mql = new EngagementEvent("mql:1", EngagementEvent.Source.CRM, ActivityType.BECAME_MQL,
                Instant.parse("2024-06-03T09:20:40Z"), "ada@example.com", "101", null, null, null,
                Map.of("first name", "Ada", "last name", "Lovelace", "company", "Analytical"));
        assertThat(SalesforceLeadCreator.newLead(mql).keySet()).containsExactlyInAnyOrderElementsOf(SalesforceSchemaCheck.LEAD_CREATE_FIELDS);
        var contact = new SalesforceIdentityResolver.Target("Contact", "003000000000001AAA", "001000000000001AAA",
                "005000000000001AAA", null, Map.of());
        assertThat(SalesforceKeyMomentTasks.fields(mql, contact).keySet()).isSubsetOf(SalesforceSchemaCheck.TASK_FIELDS);
    }

    @Test
    void aSalesforceThatCannotAnswerIsAnErrorNotAProblemList() {
        emulator.faults().failRate("salesforce.composite", Fault.serverError(503), 1.0);
        assertThatThrownBy(() -> check(FieldMapping.defaults())).isInstanceOf(RetriableSyncException.class);
    }

    @Test
    void aMissingObjectAndAnEventIdThatIsNoExternalIdAreReported() {
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        for (String object : List.of("Lead", "Contact", "Account")) {
            describes.put(object, describe(FieldMapping.KNOWN.get(object), Map.of()));
        }
        assertThat(SalesforceSchemaCheck.problems(withActivity(describes, null), FieldMapping.defaults()))
                .containsExactly("Marketing_Activity__c does not exist or the integration user cannot read it");
        ObjectNode notExternal = JSON.createObjectNode().put("externalId", false);
        assertThat(SalesforceSchemaCheck.problems(withActivity(describes,
                describe(SalesforceActivityRecord.FIELDS, Map.of(SalesforceNames.EVENT_ID, notExternal))), FieldMapping.defaults()))
                .containsExactly("Marketing_Activity__c.Closedloop_Event_Id__c is not an External ID, so activities cannot be upserted by it");
    }

    @Test
    void onlyRestrictedPicklistsAndActiveValuesCount() {
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        for (String object : List.of("Lead", "Contact", "Account")) {
            describes.put(object, describe(FieldMapping.KNOWN.get(object), Map.of()));
        }
        ObjectNode unrestricted = JSON.createObjectNode().put("restrictedPicklist", false);
        unrestricted.putArray("picklistValues");
        ObjectNode inactive = JSON.createObjectNode().put("restrictedPicklist", true);
        Arrays.stream(EngagementEvent.Source.values()).forEach(s -> inactive.withArray("picklistValues").addObject()
                .put("value", s.label()).put("active", s != EngagementEvent.Source.LIST));
        assertThat(SalesforceSchemaCheck.problems(withActivity(describes, describe(SalesforceActivityRecord.FIELDS,
                Map.of("Activity_Type__c", unrestricted, "Source__c", inactive))), FieldMapping.defaults()))
                .containsExactly("Marketing_Activity__c.Source__c restricted picklist lacks 'HubSpot List'");
    }

    @Test
    void theCheckedActivityFieldsAreEveryFieldTheSinkWrites() {
        EngagementEvent event = new EngagementEvent("email:1:2", EngagementEvent.Source.EMAIL, ActivityType.EMAIL_CLICK,
                Instant.parse("2024-06-03T09:20:40Z"), "ada@example.com", "101", "Pricing", "https://example.com/p",
                "Spring", Map.of("device", "mobile"));
        for (boolean lead : List.of(true, false)) {
            var target = new SalesforceIdentityResolver.Target(lead ? "Lead" : "Contact", lead ? "00Q000000000001AAA"
                    : "003000000000001AAA", null, null, null, Map.of());
            assertThat(SalesforceActivityRecord.fields(event, target, "001000000000001AAA").keySet())
                    .isSubsetOf(SalesforceActivityRecord.FIELDS).contains(lead ? "Lead__c" : "Contact__c", "Details__c");
        }
    }

    /** A describe body of a createable, updateable object with these fields, writable and restricted-picklist-complete unless overridden. */
    private static JsonNode describe(List<String> fields, Map<String, ObjectNode> overrides) {
        ObjectNode d = JSON.createObjectNode().put("createable", true).put("updateable", true);
        for (String name : fields) {
            ObjectNode f = d.withArray("fields").addObject().put("name", name).put("createable", true).put("updateable", true)
                    .put("externalId", name.equals(SalesforceNames.EVENT_ID));
            List<String> values = SalesforceSchemaCheck.PICKLISTS.get(name);
            if (values != null) {
                f.put("restrictedPicklist", true);
                values.forEach(v -> f.withArray("picklistValues").addObject().put("value", v).put("active", true));
            }
            if (overrides.containsKey(name)) {
                f.setAll(overrides.get(name));
            }
        }
        return d;
    }

    private static Map<String, JsonNode> withActivity(Map<String, JsonNode> describes, JsonNode activity) {
        Map<String, JsonNode> out = new LinkedHashMap<>(describes);
        out.put(SalesforceNames.MARKETING_ACTIVITY, activity);
        return out;
    }
}
