package io.closedloop.ops;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The disposition mapping at runtime: UP (the Leads are parked and replayable, not lost), with the unmapped Lead
 * statuses seen since start and their counts in the details and the message, so health never looks clean while feedback
 * waits on the mapping.
 */
public class DispositionMappingHealthCheck extends AbstractHealthCheck {
    private final UnmappedDispositionStatuses unmapped;

    public DispositionMappingHealthCheck(UnmappedDispositionStatuses unmapped) {
        super("closedloop", "dispositions");
        this.unmapped = unmapped;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Long> counts = unmapped.counts();
        counts.forEach((status, n) -> builder.detail("unmapped.status." + status, n));
        if (!counts.isEmpty()) {
            builder.message("Lead statuses in no status.* key (parked as UNMAPPED_STATUS; map them, then replay): "
                    + counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        builder.up();
    }
}
