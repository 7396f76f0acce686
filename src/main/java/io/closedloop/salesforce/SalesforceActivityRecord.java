package io.closedloop.salesforce;

import io.closedloop.core.EngagementEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Marketing_Activity__c fields of one event (salesforce/force-app/.../Marketing_Activity__c). */
public final class SalesforceActivityRecord {
    public static final String ACTIVITY = "Marketing_Activity__c";
    public static final String EVENT_ID = "Closedloop_Event_Id__c";
    static final int TEXT = 255;
    static final int LONG_TEXT = 32_768;
    /** Every field {@link #fields} may write; the startup schema check verifies each one exists and is writable. */
    public static final List<String> FIELDS = List.of(EVENT_ID, "Lead__c", "Contact__c", "Account__c",
            "Activity_Type__c", "Source__c", "Occurred_At__c", "HubSpot_Contact_Id__c", "Asset_Name__c", "Asset_Url__c",
            "Campaign_Name__c", "Details__c");
    /** Request datetime format (salesforce-api.md §0.1): milliseconds and a zone. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private SalesforceActivityRecord() {
    }

    public static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }

    /** The upsert of one event's activity by its event id, keyed by the event id. */
    public static SalesforceWrite upsert(EngagementEvent e, SalesforceIdentityResolver.Target target, String accountId) {
        return new SalesforceWrite(e.id(), ACTIVITY, EVENT_ID, fields(e, target, accountId));
    }

    public static Map<String, Object> fields(EngagementEvent e, SalesforceIdentityResolver.Target target, String accountId) {
        Map<String, Object> f = new LinkedHashMap<>();
        StringBuilder details = new StringBuilder();
        f.put(EVENT_ID, e.id());
        f.put(target.lead() ? "Lead__c" : "Contact__c", target.id());
        if (accountId != null) {
            f.put("Account__c", accountId);
        }
        f.put("Activity_Type__c", e.type().label());
        f.put("Source__c", e.source().label());
        f.put("Occurred_At__c", dateTime(e.occurredAt()));
        if (e.hubspotContactId() != null) {
            f.put("HubSpot_Contact_Id__c", e.hubspotContactId());
        }
        // long values are cut to fit their field; the full value is kept in Details so nothing is lost
        putFitted(f, details, "Asset_Name__c", "Asset", e.assetName());
        putFitted(f, details, "Asset_Url__c", "URL", e.url());
        putFitted(f, details, "Campaign_Name__c", "Campaign", e.campaign());
        e.details().forEach((k, v) -> details.append(k).append(": ").append(v).append('\n'));
        if (details.length() > 0) {
            String text = details.toString().stripTrailing();
            f.put("Details__c", text.length() <= LONG_TEXT ? text : text.substring(0, LONG_TEXT - 1) + "…");
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
