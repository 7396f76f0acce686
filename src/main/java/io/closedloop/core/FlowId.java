package io.closedloop.core;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every flow the daemon runs, by one typed id: its key (the parked-record flow, the cursor name and the toggle
 * {@code closedloop.flow.<key>}), its route ids, and whether the Salesforce schema check governs it. Health,
 * parking, replay and the schema gate all go through this enum, never through a route-id prefix.
 */
public enum FlowId {
    HUBSPOT_EMAIL_EVENTS("hubspot-email-events", Group.ENGAGEMENT, "hubspot-email-events-source", "hubspot-email-events-poll"),
    HUBSPOT_FORM_SUBMISSIONS("hubspot-form-submissions", Group.ENGAGEMENT,
            "hubspot-form-submissions-source", "hubspot-form-submissions-poll"),
    HUBSPOT_CONTACT_CHANGES("hubspot-contact-changes", Group.ENGAGEMENT,
            "hubspot-contact-changes-source", "hubspot-contact-changes-poll"),
    HUBSPOT_LIST_MEMBERSHIPS("hubspot-list-memberships", Group.ENGAGEMENT,
            "hubspot-list-memberships-source", "hubspot-list-memberships-poll"),
    /** Parked engagement tried again: writes through the same sink as the sources, so the schema check governs it. */
    SALESFORCE_UNMATCHED_RETRY("salesforce-unmatched-retry", Group.ENGAGEMENT_RETRY,
            "salesforce-unmatched-retry", "salesforce-unmatched-retry-poll"),
    /** Summary-field writes that follow engagement; they have no route of their own, only parked records. */
    SALESFORCE_SUMMARY("salesforce-summary", Group.ENGAGEMENT_RETRY),
    SALESFORCE_DISPOSITIONS("salesforce-dispositions", Group.FEEDBACK,
            "salesforce-dispositions-source", "salesforce-dispositions-poll", "hubspot-disposition-sink"),
    SLA_WATCH("sla-watch", Group.FEEDBACK, "sla-watch", "sla-watch-poll"),
    /** Marketing's side of the agreement: a lead sales handed back must be acted on in time. */
    REVERSE_SLA_WATCH("reverse-sla-watch", Group.FEEDBACK, "reverse-sla-watch", "reverse-sla-watch-poll"),
    /** HubSpot lists as Salesforce Campaigns with their members (routes/salesforce-campaigns-sink). */
    SALESFORCE_CAMPAIGNS("salesforce-campaigns", Group.CAMPAIGNS, "salesforce-campaigns-sink", "salesforce-campaigns-poll"),
    STATE_RETENTION("state-retention", Group.HOUSEKEEPING, "state-retention", "state-retention-run");

    /** What a flow is for; the schema check governs the engagement groups, whose writes it verifies. */
    public enum Group { ENGAGEMENT, ENGAGEMENT_RETRY, FEEDBACK, CAMPAIGNS, HOUSEKEEPING }

    private final String key;
    private final Group group;
    private final List<String> routeIds;

    FlowId(String key, Group group, String... routeIds) {
        this.key = key;
        this.group = group;
        this.routeIds = List.of(routeIds);
    }

    /** The parked-record flow, cursor name and toggle suffix. */
    public String key() {
        return key;
    }

    public Group group() {
        return group;
    }

    public List<String> routeIds() {
        return routeIds;
    }

    /** The property that turns the flow off ({@code closedloop.flow.<key>=false}). */
    public String toggle() {
        return "closedloop.flow." + key;
    }

    /** A HubSpot engagement source: polled, written through the activity sink. */
    public boolean engagementSource() {
        return group == Group.ENGAGEMENT;
    }

    /** Whether the Salesforce schema check stops this flow when the org lacks a field that engagement writes. */
    public boolean governedBySchema() {
        return group == Group.ENGAGEMENT || this == SALESFORCE_UNMATCHED_RETRY;
    }

    /** The flow a route belongs to. */
    public static Optional<FlowId> ofRoute(String routeId) {
        return Arrays.stream(values()).filter(f -> f.routeIds.contains(routeId)).findFirst();
    }

    /**
     * The flow a parked record belongs to: by its key, or by a route id (stores written before every step parked
     * under the key hold whole-batch failures under the source route's id).
     */
    public static Optional<FlowId> ofParked(String flow) {
        return Arrays.stream(values()).filter(f -> f.key.equals(flow)).findFirst().or(() -> ofRoute(flow));
    }

    /** The parked-record key for whatever a route parks: its flow's key, or the route id for a route of no flow. */
    public static String parkedKeyOfRoute(String routeId) {
        return ofRoute(routeId).map(FlowId::key).orElse(routeId);
    }
}
