package io.closedloop.core;

import java.time.Instant;
import java.util.Optional;

/**
 * The pure decision on one reverse SLA clock at a given moment: what HubSpot must be told. Marketing acting before the
 * due time is met; after a raised breach it clears it; after the due time with no breach raised yet (the daemon was
 * down) it still counts as a breach, and clears. No action by the due time is a breach; a new clock is announced.
 */
public record ReverseSlaVerdict(Kind kind, boolean countsAsBreach) {
    public enum Kind {
        ANNOUNCE(MarketingSlaStatus.PENDING), MET(MarketingSlaStatus.MET), BREACH(MarketingSlaStatus.BREACHED),
        CLEARED(MarketingSlaStatus.CLEARED);

        private final MarketingSlaStatus status;

        Kind(MarketingSlaStatus status) {
            this.status = status;
        }

        public MarketingSlaStatus status() {
            return status;
        }
    }

    /** What the verdict needs to know of a clock. */
    public record Clock(Instant dueAt, boolean announced, boolean breached, Instant actedAt) {
    }

    public static Optional<ReverseSlaVerdict> decide(Clock c, Instant now) {
        if (c.actedAt() != null) {
            if (c.breached()) {
                return Optional.of(new ReverseSlaVerdict(Kind.CLEARED, false));
            }
            boolean late = c.actedAt().isAfter(c.dueAt());
            return Optional.of(new ReverseSlaVerdict(late ? Kind.CLEARED : Kind.MET, late));
        }
        if (c.breached()) {
            return Optional.empty();
        }
        if (!now.isBefore(c.dueAt())) {
            return Optional.of(new ReverseSlaVerdict(Kind.BREACH, true));
        }
        return c.announced() ? Optional.empty() : Optional.of(new ReverseSlaVerdict(Kind.ANNOUNCE, false));
    }
}
