package io.closedloop.ops;

import io.closedloop.core.ApiBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Each remote API's budget, pause and circuit in the health details. Always UP: a spent budget or an open circuit
 * recovers by itself, and the affected flows say they are paused in the flows check.
 */
public class ApiBudgetHealthCheck extends AbstractHealthCheck {
    private final List<ApiBudget> budgets;

    public ApiBudgetHealthCheck(List<ApiBudget> budgets) {
        super("closedloop", "api-budgets");
        this.budgets = List.copyOf(budgets);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (ApiBudget b : budgets) {
            builder.detail(b.api() + ".budget.remaining", b.remaining());
            builder.detail(b.api() + ".budget.limit", b.limit());
            builder.detail(b.api() + ".circuit", b.circuitState());
            b.pause().ifPresent(p -> builder.detail(b.api() + ".paused", "until " + p.until() + ": " + p.reason()));
        }
        String paused = budgets.stream().filter(b -> b.pause().isPresent())
                .map(b -> b.api() + " paused until " + b.pause().get().until() + ": " + b.pause().get().reason())
                .collect(Collectors.joining("; "));
        if (!paused.isEmpty()) {
            builder.message(paused);
        }
        builder.up();
    }
}
