package io.closedloop.core;

import java.util.List;

/** The hand-off SLA as marketers see it on the HubSpot contact (property sales_sla_status). */
public enum SlaStatus implements HubSpotStatusOption {
    ON_TRACK("On track"), MET("Met"), BREACHED("Breached"), WORKED_LATE("Worked late");

    /** The HubSpot contact properties the SLA watch writes. */
    public static final String STATUS_PROPERTY = "sales_sla_status";
    public static final String DUE_PROPERTY = "sales_sla_due_at";

    private final String label;

    SlaStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Option labels for HubSpotPropertySetup.salesFeedback, which derives each value from its label. */
    public static List<String> labels() {
        return HubSpotStatusOption.labels(SlaStatus.class);
    }
}
