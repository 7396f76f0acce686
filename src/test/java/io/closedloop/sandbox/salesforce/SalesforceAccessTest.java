package io.closedloop.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The integration user's access, read from the packaged Closedloop_Integration permission set on a minimal profile. */
class SalesforceAccessTest {
    private final SalesforceSchema schema = SalesforceSchema.load();
    private final SalesforceAccess access = SalesforceAccess.load();

    private SalesforceField field(String object, String name) {
        return schema.object(object).field(name);
    }

    @Test
    void objectPermissionsComeFromThePermissionSet() {
        assertThat(access.object("Lead")).isEqualTo(new SalesforceAccess.ObjectAccess(true, true, true));
        assertThat(access.object("Contact")).isEqualTo(new SalesforceAccess.ObjectAccess(true, false, true));
        assertThat(access.object("Opportunity")).isEqualTo(new SalesforceAccess.ObjectAccess(true, false, false));
        assertThat(access.object("Marketing_Activity__c")).isEqualTo(new SalesforceAccess.ObjectAccess(true, true, true));
    }

    @Test
    void tasksComeFromEditTaskAndTheJunctionObjectsFollowTheirParents() {
        assertThat(access.object("Task")).isEqualTo(new SalesforceAccess.ObjectAccess(true, true, true));
        assertThat(access.object("OpportunityContactRole")).isEqualTo(access.object("Opportunity"));
        assertThat(access.object("CampaignMember")).isEqualTo(access.object("Campaign"));
        assertThat(access.object("User")).isEqualTo(new SalesforceAccess.ObjectAccess(true, false, false));
        assertThat(SalesforceAccess.packagedWithoutObject("Opportunity").object("OpportunityContactRole").read()).isFalse();
    }

    @Test
    void customFieldsNeedAFieldPermissionAndRequiredOnesAreAlwaysEditable() {
        SalesforceObjectType activity = schema.object("Marketing_Activity__c");
        assertThat(access.createable(activity, field("Marketing_Activity__c", "Asset_Name__c"))).isTrue();
        assertThat(access.createable(activity, field("Marketing_Activity__c", "Occurred_At__c"))).as("required").isTrue();
        SalesforceAccess without = SalesforceAccess.packagedWithout("Marketing_Activity__c.Asset_Name__c");
        assertThat(without.visible(activity, field("Marketing_Activity__c", "Asset_Name__c"))).isFalse();
        SalesforceAccess readOnly = SalesforceAccess.packagedReadOnly("Marketing_Activity__c.Asset_Name__c");
        assertThat(readOnly.visible(activity, field("Marketing_Activity__c", "Asset_Name__c"))).isTrue();
        assertThat(readOnly.createable(activity, field("Marketing_Activity__c", "Asset_Name__c"))).isFalse();
        assertThat(readOnly.updateable(activity, field("Marketing_Activity__c", "Asset_Name__c"))).isFalse();
    }

    @Test
    void theIntegrationUserOnlyReadsTheRejectionFieldsAndStandardFieldsFollowTheirObject() {
        SalesforceObjectType lead = schema.object("Lead");
        assertThat(access.visible(lead, field("Lead", "Rejection_Reason__c"))).isTrue();
        assertThat(access.updateable(lead, field("Lead", "Rejection_Reason__c"))).isFalse();
        SalesforceObjectType opportunity = schema.object("Opportunity");
        assertThat(access.visible(opportunity, field("Opportunity", "StageName"))).isTrue();
        assertThat(access.updateable(opportunity, field("Opportunity", "StageName"))).as("no Edit on Opportunity").isFalse();
        assertThat(access.updateable(lead, field("Lead", "Status"))).isTrue();
    }

    @Test
    void removingAPermissionThatIsNotThereIsAnError() {
        assertThatThrownBy(() -> SalesforceAccess.packagedWithout("Lead.No_Such_Field__c"))
                .hasMessageContaining("no fieldPermissions for Lead.No_Such_Field__c");
    }
}
