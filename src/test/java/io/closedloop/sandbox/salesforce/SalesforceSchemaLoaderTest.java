package io.closedloop.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SalesforceSchemaLoaderTest {
    private final SalesforceSchema schema = SalesforceSchema.load();

    @Test
    void customObjectsAndFieldsComeFromTheClasspathMetadata() {
        SalesforceObjectType activity = schema.object("marketing_activity__c");
        assertThat(activity).isNotNull();
        assertThat(activity.name()).isEqualTo("Marketing_Activity__c");
        assertThat(activity.keyPrefix()).isEqualTo("a00");
        assertThat(activity.autoNumberFormat()).isEqualTo("MA-{000000000}");
        SalesforceField eventId = activity.field("Closedloop_Event_Id__c");
        assertThat(eventId.type()).isEqualTo(SalesforceFieldType.STRING);
        assertThat(eventId.length()).isEqualTo(200);
        assertThat(eventId.externalId()).isTrue();
        assertThat(eventId.unique()).isTrue();
        assertThat(eventId.required()).isTrue();
        assertThat(activity.field("Details__c").type()).isEqualTo(SalesforceFieldType.TEXTAREA);
        assertThat(activity.field("Details__c").length()).isEqualTo(32768);
        assertThat(activity.field("Occurred_At__c").type()).isEqualTo(SalesforceFieldType.DATETIME);
        assertThat(activity.field("Asset_Url__c").type()).isEqualTo(SalesforceFieldType.URL);
    }

    @Test
    void thePermissionSetIsPackagedBesideTheObjectsButIsNotReadAsSchemaAndNoLayoutIs() {
        String root = SalesforceSchemaLoader.CLASSPATH_PREFIX.replace("objects/", "");
        assertThat(SalesforceSchemaLoader.list(root)).anyMatch(r -> r.endsWith("permissionsets/Closedloop_Integration.permissionset-meta.xml"))
                .noneMatch(r -> r.endsWith(".layout-meta.xml"));
        assertThat(schema.objects()).extracting(SalesforceObjectType::name).noneMatch(n -> n.contains("Layout") || n.contains("-"));
        assertThat(schema.object("Lead").fields()).extracting(SalesforceField::name)
                .contains("Marketing_Summary__c").noneMatch(n -> n.contains(" "));
    }

    @Test
    void lookupsGetReferenceTargetsAndRelationshipNames() {
        SalesforceField lead = schema.object("Marketing_Activity__c").field("Lead__c");
        assertThat(lead.type()).isEqualTo(SalesforceFieldType.REFERENCE);
        assertThat(lead.referenceTo()).containsExactly("Lead");
        assertThat(lead.relationshipName()).isEqualTo("Lead__r");
        assertThat(schema.object("Marketing_Activity__c").relationship("LEAD__R")).isSameAs(lead);
        assertThat(schema.object("Task").relationship("Who").referenceTo()).containsExactly("Lead", "Contact");
    }

    @Test
    void restrictedPicklistsKeepTheirValues() {
        SalesforceField reason = schema.object("Lead").field("Rejection_Reason__c");
        assertThat(reason.restricted()).isTrue();
        assertThat(reason.picklistValues()).hasSize(8).contains("No budget", "Other");
        SalesforceField type = schema.object("Marketing_Activity__c").field("Activity_Type__c");
        assertThat(type.picklistValues()).contains("Email Open", "Became MQL");
    }

    @Test
    void activityFieldsApplyToTaskAndStandardFieldsStay() {
        SalesforceObjectType task = schema.object("Task");
        assertThat(task.field("Closedloop_Event_Id__c")).isNotNull();
        assertThat(task.field("Closedloop_Event_Id__c").externalId()).isFalse();
        assertThat(task.field("Subject").length()).isEqualTo(255);
        assertThat(task.field("Status").picklistValues()).contains("Completed");
        SalesforceObjectType lead = schema.object("Lead");
        assertThat(lead.field("HubSpot_Contact_Id__c").externalId()).isTrue();
        assertThat(lead.field("HubSpot_Contact_Id__c").length()).isEqualTo(32);
        assertThat(lead.field("Marketing_Engagement_Score__c").type()).isEqualTo(SalesforceFieldType.DOUBLE);
        assertThat(List.of("Id", "IsConverted", "SystemModstamp")).allSatisfy(f -> assertThat(lead.field(f).createable()).isFalse());
    }
}
