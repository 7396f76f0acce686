package io.closedloop.core;

import java.util.List;

/** The reverse SLA as both teams see it on the HubSpot contact (property marketing_sla_status). */
public enum MarketingSlaStatus implements HubSpotStatusOption {
    PENDING("Pending"), MET("Met"), BREACHED("Breached"), CLEARED("Cleared");

    /** The HubSpot contact properties the reverse SLA watch writes. */
    public static final String STATUS_PROPERTY = "marketing_sla_status";
    public static final String DUE_PROPERTY = "marketing_sla_due_at";

    private final String label;

    MarketingSlaStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static List<String> labels() {
        return HubSpotStatusOption.labels(MarketingSlaStatus.class);
    }
}
