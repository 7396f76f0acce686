package io.closedloop.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Which flows are stopped for a fatal error, and why. Readiness is DOWN while any is. */
public final class FlowHealth {
    public record Stopped(String routeId, String reason, Instant at) {
    }

    private final Map<String, Stopped> stopped = new ConcurrentHashMap<>();
    private final Clock clock;

    public FlowHealth(Clock clock) {
        this.clock = clock;
    }

    public void stopped(String routeId, String reason) {
        stopped.put(routeId, new Stopped(routeId, reason, clock.instant()));
    }

    public void recovered(String routeId) {
        stopped.remove(routeId);
    }

    /** Stopped flows by route id, in a stable order for the health body. */
    public Map<String, Stopped> stoppedFlows() {
        return new TreeMap<>(stopped);
    }

    public boolean allRunning() {
        return stopped.isEmpty();
    }
}
