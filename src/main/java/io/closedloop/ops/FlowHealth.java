package io.closedloop.ops;

import io.closedloop.core.FlowId;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which flows are stopped for a fatal error, and why (readiness is DOWN while any is); and which are paused
 * waiting for an API budget or limit to recover (they resume by themselves, so readiness stays UP).
 */
public final class FlowHealth {
    public record Stopped(String routeId, String reason, Instant at) {
    }

    public record Paused(String routeId, String reason, Instant until) {
    }

    private final Map<String, Stopped> stopped = new ConcurrentHashMap<>();
    private final Map<String, Paused> paused = new ConcurrentHashMap<>();
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

    public void paused(String routeId, String reason, Instant until) {
        paused.put(routeId, new Paused(routeId, reason, until));
    }

    /** A flow wrote a batch: none of its routes is paused any longer. */
    public void resumed(FlowId flow) {
        paused.keySet().removeAll(flow.routeIds());
    }

    /** Flows still paused now, by route id; a pause whose time has passed is shown no longer. */
    public Map<String, Paused> pausedFlows() {
        Instant now = clock.instant();
        Map<String, Paused> out = new TreeMap<>();
        paused.values().stream().filter(p -> p.until().isAfter(now)).forEach(p -> out.put(p.routeId(), p));
        return out;
    }

    /** Stopped flows by route id, in a stable order for the health body. */
    public Map<String, Stopped> stoppedFlows() {
        return new TreeMap<>(stopped);
    }

    public boolean allRunning() {
        return stopped.isEmpty();
    }
}
