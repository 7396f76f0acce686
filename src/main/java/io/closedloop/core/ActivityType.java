package io.closedloop.core;

/** What a prospect did; the labels are the values of the restricted picklist Marketing_Activity__c.Activity_Type__c. */
public enum ActivityType {
    EMAIL_OPEN("Email Open"),
    EMAIL_CLICK("Email Click"),
    EMAIL_BOUNCE("Email Bounce"),
    EMAIL_UNSUBSCRIBE("Email Unsubscribe"),
    EMAIL_SPAM_REPORT("Email Spam Report"),
    FORM_SUBMISSION("Form Submission"),
    PAGE_VISIT("Page Visit"),
    LIST_JOINED("List Joined"),
    LIST_LEFT("List Left"),
    SCORE_CHANGE("Score Change"),
    LIFECYCLE_CHANGE("Lifecycle Change"),
    BECAME_MQL("Became MQL");

    private final String label;

    ActivityType(String label) {
        this.label = label;
    }

    /** The picklist value written to Salesforce. */
    public String label() {
        return label;
    }
}
