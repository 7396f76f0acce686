package io.closedloop.ops;

import io.closedloop.core.ApiBudget;
import io.closedloop.core.ClockOffset;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Budget state as gauges on /observe/metrics, tagged by API: {@code closedloop_api_budget_remaining},
 * {@code closedloop_api_budget_limit}, {@code closedloop_api_budget_used_ratio}, {@code closedloop_api_paused} (1 while paused) and
 * {@code closedloop_api_circuit_open} (1 while the circuit breaker is open), and {@code closedloop_api_clock_offset_seconds}.
 */
public final class ApiBudgetMetrics {
    private ApiBudgetMetrics() {
    }

    public static void register(MeterRegistry registry, List<ApiBudget> budgets, List<ClockOffset> clocks) {
        for (ClockOffset c : clocks) {
            Gauge.builder("closedloop.api.clock.offset.seconds", c, x -> x.offset().toMillis() / 1000.0).tag("api", c.api())
                    .description("The API's clock minus this host's, from its Date headers").register(registry);
        }
        register(registry, budgets);
    }

    public static void register(MeterRegistry registry, List<ApiBudget> budgets) {
        for (ApiBudget b : budgets) {
            Gauge.builder("closedloop.api.budget.remaining", b, ApiBudget::remaining).tag("api", b.api())
                    .description("API calls left in Closedloop's daily budget (-1 until the API reports its usage)").register(registry);
            Gauge.builder("closedloop.api.budget.limit", b, ApiBudget::limit).tag("api", b.api())
                    .description("Closedloop's daily budget in API calls (-1 until known)").register(registry);
            Gauge.builder("closedloop.api.budget.used.ratio", b, x -> x.limit() <= 0 ? 0 : Math.max(0, x.limit() - Math.max(0, x.remaining())) / (double) x.limit())
                    .tag("api", b.api()).description("Share of Closedloop's daily budget spent, 0 to 1 (0 until the limit is known)")
                    .register(registry);
            Gauge.builder("closedloop.api.paused", b, x -> x.pause().isPresent() ? 1 : 0).tag("api", b.api())
                    .description("1 while calls to the API are paused (budget spent, limit reached, circuit open)").register(registry);
            Gauge.builder("closedloop.api.circuit.open", b, x -> "OPEN".equals(x.circuitState()) ? 1 : 0).tag("api", b.api())
                    .description("1 while the API's circuit breaker is open").register(registry);
        }
    }
}
