package io.closedloop.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reverse SLA (config/dispositions.properties, reverse-sla.*): when sales hands a lead back (recycled, or rejected
 * for one of {@code reasons}), marketing must act within {@code hours}: the contact joins the nurture list, or its
 * lifecycle stage moves. {@code hours} null: off.
 */
public record ReverseSla(Duration hours, Set<String> reasons, String nurtureListId) {
    public static final ReverseSla OFF = new ReverseSla(null, Set.of(), null);

    public ReverseSla {
        reasons = reasons == null ? Set.of() : reasons.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean enabled() {
        return hours != null;
    }

    /** Whether this sales verdict hands the lead back to marketing and starts a clock. */
    public boolean startsOn(Disposition disposition, String reason) {
        if (!enabled() || disposition == null) {
            return false;
        }
        return disposition == Disposition.RECYCLED
                || disposition == Disposition.REJECTED && reason != null && reasons.contains(reason.trim().toLowerCase(Locale.ROOT));
    }
}
