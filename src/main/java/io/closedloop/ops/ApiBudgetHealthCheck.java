package io.closedloop.ops;

import io.closedloop.core.ApiBudget;
import io.closedloop.core.ClockOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Each remote API's budget, pause, circuit and clock offset in the health details. Always UP: a spent budget or an open circuit
 * recovers by itself, and the affected flows say they are paused in the flows check.
 */
public class ApiBudgetHealthCheck extends AbstractHealthCheck {
    private final List<ApiBudget> budgets;
    private final List<ClockOffset> clocks;

    public ApiBudgetHealthCheck(List<ApiBudget> budgets) {
        this(budgets, List.of());
    }

    public ApiBudgetHealthCheck(List<ApiBudget> budgets, List<ClockOffset> clocks) {
        super("closedloop", "api-budgets");
        this.budgets = List.copyOf(budgets);
        this.clocks = List.copyOf(clocks);
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
        for (ClockOffset c : clocks) {
            builder.detail(c.api() + ".clock.offset.ms", c.offset().toMillis());
            if (c.exceeded()) {
                builder.detail(c.api() + ".clock", c.describe() + ", over the limit of " + c.limit().toSeconds() + " s");
            }
        }
        String paused = budgets.stream().filter(b -> b.pause().isPresent())
                .map(b -> b.api() + " paused until " + b.pause().get().until() + ": " + b.pause().get().reason())
                .collect(Collectors.joining("; "));
        String skewed = clocks.stream().filter(ClockOffset::exceeded).map(ClockOffset::describe).collect(Collectors.joining("; "));
        paused = paused.isEmpty() || skewed.isEmpty() ? paused + skewed : paused + "; " + skewed;
        if (!paused.isEmpty()) {
            builder.message(paused);
        }
        builder.up();
    }
}
