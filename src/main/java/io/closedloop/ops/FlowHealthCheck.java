package io.closedloop.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN with the reason when a flow is stopped for a fatal error; UP, with the reason, while one is paused. */
public class FlowHealthCheck extends AbstractHealthCheck {
    private final FlowHealth flows;

    public FlowHealthCheck(FlowHealth flows) {
        super("closedloop", "flows");
        this.flows = flows;
    }

    @Override
    public boolean isLiveness() {
        // a stopped flow needs an operator, not a container restart
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, FlowHealth.Stopped> stopped = flows.stoppedFlows();
        Map<String, FlowHealth.Paused> paused = flows.pausedFlows();
        // a pause ends by itself (budget, limit, circuit): shown, but not a reason to take the daemon out of service
        paused.values().forEach(p -> builder.detail("flow." + p.routeId(), "paused until " + p.until() + ": " + p.reason()));
        if (stopped.isEmpty()) {
            if (!paused.isEmpty()) {
                builder.message(String.join(", ", paused.keySet()) + " paused: " + paused.values().iterator().next().reason());
            }
            builder.up();
            return;
        }
        // routes stopped for one reason (a whole flow) share one clause, so the reason reads once
        Map<String, List<String>> routesByReason = new LinkedHashMap<>();
        stopped.values().forEach(s -> routesByReason.computeIfAbsent(s.reason(), r -> new ArrayList<>()).add(s.routeId()));
        String message = routesByReason.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + " stopped: " + e.getKey())
                .collect(Collectors.joining("; "));
        builder.message(message);
        stopped.values().forEach(s -> builder.detail("flow." + s.routeId(), s.reason() + " (since " + s.at() + ")"));
        builder.down();
    }
}
