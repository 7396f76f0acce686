package io.closedloop.core;

import io.closedloop.core.Disposition;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What sales did with one person, read from a Salesforce Lead or a closed Opportunity. {@code disposition} is null
 * when only the owner changed. {@code fingerprint} is what the record looked like, so a re-read sends nothing twice.
 */
public record SalesDisposition(String sfId, String email, Disposition disposition, String reason, String detail,
                               String ownerName, String sfRecordLabel, Instant at, BigDecimal amount, String fingerprint) {
}
