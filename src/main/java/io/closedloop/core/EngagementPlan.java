package io.closedloop.core;

import java.util.List;
import java.util.Map;

/**
 * What one poll of an engagement source would do, for {@code plan}: counted like the sink counts a run.
 *
 * @param source          the source's flow key, e.g. hubspot-email-events
 * @param read            events read in the window
 * @param alreadyWritten  events the ledger holds already (a run skips them)
 * @param activities      Marketing Activity records that would be upserted, by activity type
 * @param tasks           key-moment Tasks that would be created
 * @param summaryRecords  Leads and Contacts whose summary fields and roll-ups would be refreshed
 * @param parked          events that would be parked, by code (UNMATCHED, DUPLICATE_EMAIL, INVALID_EMAIL)
 * @param salesforceReads Salesforce calls the identity look-up took
 * @param salesforceWrites Salesforce calls the writes would take (collections of 200)
 * @param samples         per kind, a few examples by event and record id (never an email)
 */
public record EngagementPlan(String source, int read, int alreadyWritten, Map<String, Integer> activities, int tasks,
                             int summaryRecords, Map<String, Integer> parked, long salesforceReads, long salesforceWrites,
                             Map<String, List<String>> samples) {
    public int activityCount() {
        return activities.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int parkedCount() {
        return parked.values().stream().mapToInt(Integer::intValue).sum();
    }
}
