package io.closedloop.salesforce;

import static io.closedloop.salesforce.SalesforceNames.ACTIVITY_ACCOUNT;
import static io.closedloop.salesforce.SalesforceNames.ACTIVITY_CONTACT;
import static io.closedloop.salesforce.SalesforceNames.ACTIVITY_LEAD;
import static io.closedloop.salesforce.SalesforceNames.ACTIVITY_SOURCE;
import static io.closedloop.salesforce.SalesforceNames.ACTIVITY_TYPE;
import static io.closedloop.salesforce.SalesforceNames.ASSET_NAME;
import static io.closedloop.salesforce.SalesforceNames.ASSET_URL;
import static io.closedloop.salesforce.SalesforceNames.CAMPAIGN_NAME;
import static io.closedloop.salesforce.SalesforceNames.DETAILS;
import static io.closedloop.salesforce.SalesforceNames.EVENT_ID;
import static io.closedloop.salesforce.SalesforceNames.HUBSPOT_CONTACT_ID;
import static io.closedloop.salesforce.SalesforceNames.MARKETING_ACTIVITY;
import static io.closedloop.salesforce.SalesforceNames.OCCURRED_AT;

import io.closedloop.core.EngagementEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SalesforceNames#MARKETING_ACTIVITY} fields of one event (salesforce/force-app/.../Marketing_Activity__c). */
public final class SalesforceActivityRecord {
    static final int TEXT = 255;
    static final int LONG_TEXT = 32_768;
    /** Every field {@link #fields} may write; the startup schema check verifies each one exists and is writable. */
    public static final List<String> FIELDS = List.of(EVENT_ID, ACTIVITY_LEAD, ACTIVITY_CONTACT, ACTIVITY_ACCOUNT,
            ACTIVITY_TYPE, ACTIVITY_SOURCE, OCCURRED_AT, HUBSPOT_CONTACT_ID, ASSET_NAME, ASSET_URL, CAMPAIGN_NAME, DETAILS);

    private SalesforceActivityRecord() {
    }

    /** The upsert of one event's activity by its event id, keyed by the event id. */
    public static SalesforceWrite upsert(EngagementEvent e, SalesforceIdentityResolver.Target target, String accountId) {
        return new SalesforceWrite(e.id(), MARKETING_ACTIVITY, EVENT_ID, fields(e, target, accountId));
    }

    public static Map<String, Object> fields(EngagementEvent e, SalesforceIdentityResolver.Target target, String accountId) {
        Map<String, Object> f = new LinkedHashMap<>();
        StringBuilder details = new StringBuilder();
        f.put(EVENT_ID, e.id());
        f.put(target.lead() ? ACTIVITY_LEAD : ACTIVITY_CONTACT, target.id());
        if (accountId != null) {
            f.put(ACTIVITY_ACCOUNT, accountId);
        }
        f.put(ACTIVITY_TYPE, e.type().label());
        f.put(ACTIVITY_SOURCE, e.source().label());
        f.put(OCCURRED_AT, SalesforceDateTimes.format(e.occurredAt()));
        if (e.hubspotContactId() != null) {
            f.put(HUBSPOT_CONTACT_ID, e.hubspotContactId());
        }
        // long values are cut to fit their field; the full value is kept in Details so nothing is lost
        putFitted(f, details, ASSET_NAME, "Asset", e.assetName());
        putFitted(f, details, ASSET_URL, "URL", e.url());
        putFitted(f, details, CAMPAIGN_NAME, "Campaign", e.campaign());
        e.details().forEach((k, v) -> details.append(k).append(": ").append(v).append('\n'));
        if (details.length() > 0) {
            String text = details.toString().stripTrailing();
            f.put(DETAILS, text.length() <= LONG_TEXT ? text : text.substring(0, LONG_TEXT - 1) + "…");
        }
        return f;
    }

    private static void putFitted(Map<String, Object> f, StringBuilder details, String field, String label, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (value.length() <= TEXT) {
            f.put(field, value);
        } else {
            f.put(field, value.substring(0, TEXT - 1) + "…");
            details.append(label).append(" (full): ").append(value).append('\n');
        }
    }
}
