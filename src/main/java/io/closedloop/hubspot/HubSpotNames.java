package io.closedloop.hubspot;

import io.closedloop.core.SlaStatus;

/** Contact property names Closedloop reads or writes in more than one place (hubspot-api.md §4.1, §6). */
public final class HubSpotNames {
    // HubSpot's own contact properties
    public static final String EMAIL = "email";
    public static final String LIFECYCLE_STAGE = "lifecyclestage";
    public static final String LEAD_STATUS = "hs_lead_status";

    // the sales-feedback properties Closedloop creates (HubSpotPropertySetup)
    public static final String SALES_DISPOSITION = "sales_disposition";
    public static final String SALES_DISPOSITION_AT = "sales_disposition_at";
    public static final String SALES_REJECTION_REASON = "sales_rejection_reason";
    public static final String SALES_REJECTION_DETAIL = "sales_rejection_detail";
    public static final String SALES_OWNER = "sales_owner";
    public static final String SALES_SLA_STATUS = SlaStatus.STATUS_PROPERTY;
    public static final String SALES_SLA_DUE_AT = SlaStatus.DUE_PROPERTY;
    /** When the contact became a sales-qualified lead under the SQL definition (sql.on); written once. */
    public static final String SALES_QUALIFIED_AT = "sales_qualified_at";

    private HubSpotNames() {
    }
}
