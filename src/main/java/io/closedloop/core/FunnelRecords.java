package io.closedloop.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the funnel report reads from Salesforce: the Leads (created in the period, plus those a rejection sent in the
 * period names) and the opportunities they were converted into. Record ids, picklist values and times only.
 */
public record FunnelRecords(List<Lead> leads, List<Opportunity> opportunities) {
    /** One Lead; {@code inPeriod} is false for a Lead read only because a rejection in the period names it. */
    public record Lead(String id, Instant createdAt, String leadSource, String ownerId, String status, boolean converted,
                       String opportunityId, Instant mqlAt, Instant sqlAt, boolean inPeriod) {
    }

    /** An opportunity a Lead was converted into; {@code closeDate} is a date in Salesforce. */
    public record Opportunity(String id, Instant createdAt, boolean closed, boolean won, LocalDate closeDate, BigDecimal amount) {
    }
}
