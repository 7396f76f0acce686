package io.closedloop.sandbox.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The knobs of one emulator: per-endpoint latency, and faults injected by rate or by script.
 * Endpoints are matched by name or by a prefix ending in {@code *} (e.g. {@code "hubspot.contacts.*"}).
 */
public final class FaultPlan {
    private record RateRule(String pattern, Fault fault, double probability) {
    }

    private final Map<String, LatencyModel> latency = new ConcurrentHashMap<>();
    private final List<RateRule> rates = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Fault>> scripts = new ConcurrentHashMap<>();
    private final Random random;

    public FaultPlan(long seed) {
        this.random = new Random(seed);
    }

    public FaultPlan latency(String endpointPattern, LatencyModel model) {
        latency.put(endpointPattern, model);
        return this;
    }

    /** Each matching call fails this way with the given probability (0..1). */
    public FaultPlan failRate(String endpointPattern, Fault fault, double probability) {
        rates.add(new RateRule(endpointPattern, fault, probability));
        return this;
    }

    /** The next matching calls fail in this order; a null entry lets that call through. */
    public FaultPlan script(String endpointPattern, Fault... faults) {
        Deque<Fault> queue = scripts.computeIfAbsent(endpointPattern, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (Fault f : faults) {
                queue.add(f == null ? NO_FAULT : f);
            }
        }
        return this;
    }

    /** Removes every latency, rate and script. */
    public void clear() {
        latency.clear();
        rates.clear();
        scripts.clear();
    }

    private static final Fault NO_FAULT = new Fault(Fault.Kind.SLOW, 200, "none", java.time.Duration.ZERO);

    /** An exact endpoint's latency wins over a wildcard's. */
    LatencyModel latencyFor(String endpoint) {
        LatencyModel exact = latency.get(endpoint);
        if (exact != null) {
            return exact;
        }
        return latency.entrySet().stream().filter(e -> matches(e.getKey(), endpoint)).map(Map.Entry::getValue)
                .findFirst().orElse(LatencyModel.NONE);
    }

    /** The fault for this call, or null: scripted faults first, then rates. */
    Fault next(String endpoint) {
        for (Map.Entry<String, Deque<Fault>> e : scripts.entrySet()) {
            if (matches(e.getKey(), endpoint)) {
                Deque<Fault> queue = e.getValue();
                synchronized (queue) {
                    Fault f = queue.poll();
                    if (f != null) {
                        return f == NO_FAULT ? null : f;
                    }
                }
            }
        }
        for (RateRule rule : rates) {
            if (matches(rule.pattern(), endpoint)) {
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (draw < rule.probability()) {
                    return rule.fault();
                }
            }
        }
        return null;
    }

    static boolean matches(String pattern, String endpoint) {
        return pattern.endsWith("*") ? endpoint.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(endpoint);
    }
}
