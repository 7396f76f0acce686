package io.closedloop.core;

import java.util.List;
import java.util.Map;

/**
 * What one poll of the feedback flow would do, for {@code plan}: counted like the writer counts a run.
 *
 * @param read            Leads and opportunity records read that changed since last sent
 * @param sent            dispositions with a verdict that would reach HubSpot
 * @param propertyUpdates contacts whose properties would be updated
 * @param notes           timeline notes that would be created
 * @param unchanged       records with no verdict (only the owner would be refreshed)
 * @param awaitingContact dispositions whose email has no HubSpot contact yet (parked AWAITING_CONTACT)
 * @param parkedUnmapped  Leads in an unmapped status that would be parked as UNMAPPED_STATUS
 * @param unmapped        Leads in an unmapped status (counted in the metric, with or without an email)
 * @param hubspotReads    HubSpot calls to look the contacts up
 * @param hubspotWrites   HubSpot calls the writes would take (batches of 100)
 * @param samples         per kind, a few examples by record id (never an email)
 */
public record DispositionPlan(int read, int sent, int propertyUpdates, int notes, int unchanged, int awaitingContact,
                              int parkedUnmapped, int unmapped, long hubspotReads, long hubspotWrites,
                              Map<String, List<String>> samples) {
}
