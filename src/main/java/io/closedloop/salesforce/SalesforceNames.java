package io.closedloop.salesforce;

/** API names of the custom objects and fields Closedloop deploys to Salesforce ({@code salesforce/force-app}). */
public final class SalesforceNames {
    /** The object every engagement event becomes. */
    public static final String MARKETING_ACTIVITY = "Marketing_Activity__c";
    /** External id of a Marketing Activity and of the Tasks Closedloop creates, Text(200): retries never duplicate. */
    public static final String EVENT_ID = "Closedloop_Event_Id__c";

    // Marketing_Activity__c fields
    public static final String ACTIVITY_LEAD = "Lead__c";
    public static final String ACTIVITY_CONTACT = "Contact__c";
    public static final String ACTIVITY_ACCOUNT = "Account__c";
    /** Restricted picklist of {@link io.closedloop.core.ActivityType} labels. */
    public static final String ACTIVITY_TYPE = "Activity_Type__c";
    /** Restricted picklist of {@link io.closedloop.core.EngagementEvent.Source} labels. */
    public static final String ACTIVITY_SOURCE = "Source__c";
    public static final String OCCURRED_AT = "Occurred_At__c";
    public static final String HUBSPOT_CONTACT_ID = "HubSpot_Contact_Id__c";
    public static final String ASSET_NAME = "Asset_Name__c";
    public static final String ASSET_URL = "Asset_Url__c";
    public static final String CAMPAIGN_NAME = "Campaign_Name__c";
    public static final String DETAILS = "Details__c";

    // summary fields on Lead, Contact and Account (config/salesforce-fields.properties may switch them off)
    public static final String LAST_MARKETING_ACTIVITY_AT = "Last_Marketing_Activity_At__c";
    public static final String MARKETING_ENGAGEMENT_SCORE = "Marketing_Engagement_Score__c";
    public static final String MARKETING_ACTIVITY_7D = "Marketing_Activity_7d__c";
    public static final String MARKETING_ACTIVITY_30D = "Marketing_Activity_30d__c";
    public static final String MARKETING_ENGAGED_PEOPLE = "Marketing_Engaged_People__c";
    public static final String MARKETING_SUMMARY = "Marketing_Summary__c";
    public static final String MQL_AT = "MQL_At__c";

    // Lead fields sales fill in when they reject a lead
    public static final String REJECTION_REASON = "Rejection_Reason__c";
    public static final String REJECTION_DETAIL = "Rejection_Detail__c";

    private SalesforceNames() {
    }
}
