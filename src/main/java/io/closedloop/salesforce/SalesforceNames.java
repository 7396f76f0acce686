package io.closedloop.salesforce;

import io.closedloop.config.FieldMapping;

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

    // summary fields on Lead, Contact and Account, named where the field mapping lists them
    public static final String LAST_MARKETING_ACTIVITY_AT = FieldMapping.LAST_MARKETING_ACTIVITY_AT;
    public static final String MARKETING_ENGAGEMENT_SCORE = FieldMapping.MARKETING_ENGAGEMENT_SCORE;
    public static final String MARKETING_ACTIVITY_7D = FieldMapping.MARKETING_ACTIVITY_7D;
    public static final String MARKETING_ACTIVITY_30D = FieldMapping.MARKETING_ACTIVITY_30D;
    public static final String MARKETING_ENGAGED_PEOPLE = FieldMapping.MARKETING_ENGAGED_PEOPLE;
    public static final String MARKETING_SUMMARY = FieldMapping.MARKETING_SUMMARY;
    public static final String MQL_AT = FieldMapping.MQL_AT;
    /** On Lead and Contact: when the lead became sales-qualified under sql.on (Flow 2 writes it once). */
    public static final String SQL_AT = "SQL_At__c";

    // Lead fields sales fill in when they reject a lead
    public static final String REJECTION_REASON = "Rejection_Reason__c";
    public static final String REJECTION_DETAIL = "Rejection_Detail__c";

    private SalesforceNames() {
    }
}
