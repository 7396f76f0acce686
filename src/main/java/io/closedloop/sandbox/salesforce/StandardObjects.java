package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceField.of;
import static io.closedloop.sandbox.salesforce.SalesforceField.picklist;
import static io.closedloop.sandbox.salesforce.SalesforceField.reference;
import static io.closedloop.sandbox.salesforce.SalesforceField.text;

/** The standard objects the daemon touches, with the fields of reference §7 and the usual system fields. */
public final class StandardObjects {
    public static final String[] LEAD_STATUSES = {"Open - Not Contacted", "Working - Contacted", "Closed - Converted",
        "Closed - Not Converted"};
    public static final String[] STAGES = {"Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won",
        "Closed Lost"};

    private StandardObjects() {
    }

    public static SalesforceSchema create() {
        SalesforceSchema schema = new SalesforceSchema();
        schema.add(lead()).add(contact()).add(account()).add(task()).add(opportunity()).add(contactRole())
                .add(campaign()).add(campaignMember()).add(campaignMemberStatus()).add(user());
        return schema;
    }

    /** Id, IsDeleted and the audit fields every object has; {@code owned} adds OwnerId. */
    static SalesforceObjectType base(String name, String prefix, boolean custom, boolean owned) {
        SalesforceObjectType t = new SalesforceObjectType(name, prefix, custom);
        t.add(of("Id", SalesforceFieldType.ID, 18).readOnly());
        if (owned) {
            t.add(reference("OwnerId", "User"));
        }
        t.add(of("IsDeleted", SalesforceFieldType.BOOLEAN, 0).readOnly());
        t.add(of("CreatedDate", SalesforceFieldType.DATETIME, 0).readOnly());
        t.add(reference("CreatedById", "User").readOnly());
        t.add(of("LastModifiedDate", SalesforceFieldType.DATETIME, 0).readOnly());
        t.add(reference("LastModifiedById", "User").readOnly());
        t.add(of("SystemModstamp", SalesforceFieldType.DATETIME, 0).readOnly());
        return t;
    }

    private static SalesforceField leadSource() {
        return picklist("LeadSource", false, null, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other");
    }

    static SalesforceObjectType lead() {
        return base("Lead", "00Q", false, true)
                .add(text("FirstName", 40)).add(text("LastName", 80).asRequired()).add(text("Name", 121).readOnly())
                .add(of("Email", SalesforceFieldType.EMAIL, 80)).add(text("Company", 255).asRequired())
                .add(picklist("Status", true, LEAD_STATUSES[0], LEAD_STATUSES).asRequired())
                .add(leadSource())
                .add(of("IsConverted", SalesforceFieldType.BOOLEAN, 0).readOnly())
                .add(reference("ConvertedContactId", "Contact").readOnly())
                .add(reference("ConvertedAccountId", "Account").readOnly())
                .add(reference("ConvertedOpportunityId", "Opportunity").readOnly())
                .add(of("ConvertedDate", SalesforceFieldType.DATE, 0).readOnly());
    }

    static SalesforceObjectType contact() {
        return base("Contact", "003", false, true)
                .add(text("FirstName", 40)).add(text("LastName", 80).asRequired()).add(text("Name", 121).readOnly())
                .add(of("Email", SalesforceFieldType.EMAIL, 80)).add(reference("AccountId", "Account")).add(leadSource());
    }

    static SalesforceObjectType account() {
        return base("Account", "001", false, true)
                .add(text("Name", 255).asRequired()).add(of("Website", SalesforceFieldType.URL, 255));
    }

    static SalesforceObjectType task() {
        return base("Task", "00T", false, true)
                .add(reference("WhoId", "Lead", "Contact"))
                .add(reference("WhatId", "Account", "Opportunity", "Campaign"))
                .add(text("Subject", 255))
                .add(of("ActivityDate", SalesforceFieldType.DATE, 0))
                .add(picklist("Status", true, "Not Started", "Not Started", "In Progress", "Completed",
                        "Waiting on someone else", "Deferred").asRequired())
                .add(picklist("Priority", true, "Normal", "High", "Normal", "Low").asRequired())
                .add(of("Description", SalesforceFieldType.TEXTAREA, 32000))
                .add(picklist("TaskSubtype", false, null, "Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")
                        .createOnly())
                .add(picklist("Type", false, null, "Call", "Email", "Meeting", "Other"))
                .add(of("IsClosed", SalesforceFieldType.BOOLEAN, 0).readOnly())
                .add(reference("AccountId", "Account").readOnly());
    }

    static SalesforceObjectType opportunity() {
        return base("Opportunity", "006", false, true)
                .add(text("Name", 120).asRequired())
                .add(picklist("StageName", true, null, STAGES).asRequired())
                .add(of("IsClosed", SalesforceFieldType.BOOLEAN, 0).readOnly())
                .add(of("IsWon", SalesforceFieldType.BOOLEAN, 0).readOnly())
                .add(of("Amount", SalesforceFieldType.CURRENCY, 0))
                .add(of("CloseDate", SalesforceFieldType.DATE, 0).asRequired())
                .add(reference("AccountId", "Account")).add(reference("CampaignId", "Campaign")).add(leadSource());
    }

    static SalesforceObjectType contactRole() {
        return base("OpportunityContactRole", "00K", false, false)
                .add(reference("OpportunityId", "Opportunity").asRequired().createOnly())
                .add(reference("ContactId", "Contact").asRequired())
                .add(picklist("Role", false, null, "Business User", "Decision Maker", "Economic Buyer",
                        "Economic Decision Maker", "Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer", "Other"))
                .add(of("IsPrimary", SalesforceFieldType.BOOLEAN, 0));
    }

    static SalesforceObjectType campaign() {
        return base("Campaign", "701", false, true)
                .add(text("Name", 80).asRequired())
                .add(picklist("Type", false, null, "Email", "Webinar", "Conference", "Advertisement", "Other"))
                .add(picklist("Status", false, null, "Planned", "In Progress", "Completed", "Aborted"))
                .add(of("IsActive", SalesforceFieldType.BOOLEAN, 0))
                .add(of("StartDate", SalesforceFieldType.DATE, 0)).add(of("EndDate", SalesforceFieldType.DATE, 0))
                .add(of("Description", SalesforceFieldType.TEXTAREA, 32_000))
                .add(reference("ParentId", "Campaign"));
    }

    static SalesforceObjectType campaignMember() {
        return base("CampaignMember", "00v", false, false)
                .add(reference("CampaignId", "Campaign").asRequired().createOnly())
                .add(reference("LeadId", "Lead").createOnly()).add(reference("ContactId", "Contact").createOnly())
                // the values are the campaign's CampaignMemberStatus labels, checked by the org (second-batch-notes §3)
                .add(picklist("Status", false, null))
                .add(of("HasResponded", SalesforceFieldType.BOOLEAN, 0).readOnly())
                .add(of("FirstRespondedDate", SalesforceFieldType.DATE, 0).readOnly());
    }

    /**
     * A campaign's member statuses (object reference, CampaignMemberStatus: CampaignId create-only; Label, HasResponded,
     * IsDefault and SortOrder created and updated; second-batch-notes §3).
     */
    static SalesforceObjectType campaignMemberStatus() {
        return base("CampaignMemberStatus", "01Y", false, false)
                .add(reference("CampaignId", "Campaign").asRequired().createOnly())
                .add(text("Label", 765).asRequired())
                .add(of("HasResponded", SalesforceFieldType.BOOLEAN, 0))
                .add(of("IsDefault", SalesforceFieldType.BOOLEAN, 0))
                .add(of("SortOrder", SalesforceFieldType.DOUBLE, 9));
    }

    static SalesforceObjectType user() {
        return base("User", "005", false, false)
                .add(text("Username", 80).asRequired().withKeys(false, true))
                .add(text("FirstName", 40)).add(text("LastName", 80).asRequired()).add(text("Name", 121).readOnly())
                .add(of("Email", SalesforceFieldType.EMAIL, 128).asRequired())
                .add(reference("ManagerId", "User"))
                .add(of("IsActive", SalesforceFieldType.BOOLEAN, 0));
    }
}
