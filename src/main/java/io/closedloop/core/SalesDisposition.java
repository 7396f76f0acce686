package io.closedloop.core;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What sales did with one person, read from a Salesforce Lead or a closed Opportunity. {@code disposition} is null
 * when only the owner changed. {@code fingerprint} is what the record looked like, so a re-read sends nothing twice;
 * {@code stateKey} is the record it is remembered under: the Lead, or the opportunity's contact role.
 */
public record SalesDisposition(String sfId, String email, Disposition disposition, String reason, String detail,
                               String ownerName, String sfRecordLabel, Instant at, BigDecimal amount, String fingerprint,
                               String stateKey) {
    /** A disposition remembered under its own record. */
    public SalesDisposition(String sfId, String email, Disposition disposition, String reason, String detail,
                            String ownerName, String sfRecordLabel, Instant at, BigDecimal amount, String fingerprint) {
        this(sfId, email, disposition, reason, detail, ownerName, sfRecordLabel, at, amount, fingerprint, sfId);
    }
}
