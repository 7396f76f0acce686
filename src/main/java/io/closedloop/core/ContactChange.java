package io.closedloop.core;

import java.time.Instant;

/**
 * A change of one contact property a reader saw between two snapshots that is no activity of its own (nothing is
 * written to Salesforce for it), e.g. the HubSpot lead status; {@code at} is the contact's last modification.
 */
public record ContactChange(String hubspotContactId, String property, String from, String to, Instant at) {
}
