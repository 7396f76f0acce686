package io.closedloop.ops;

import io.closedloop.core.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * This replica's role: {@code leader} (it polls and writes) or {@code standby} (it serves health, metrics and
 * replay, and takes over when the leader goes). Always UP: a standby is ready, it just has nothing to do yet.
 */
public class LeadershipHealthCheck extends AbstractHealthCheck {
    private final Leadership leadership;

    public LeadershipHealthCheck(Leadership leadership) {
        super("closedloop", "role");
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("role", role(leadership));
        builder.detail("term", leadership.term());
        builder.up();
    }

    /** {@code leader} or {@code standby}, as health and the docs say it. */
    public static String role(Leadership leadership) {
        return leadership.role().name().toLowerCase(Locale.ROOT);
    }

    /** {@code closedloop_leader}: 1 on the replica that polls, 0 on a standby. */
    public static void register(MeterRegistry registry, Leadership leadership) {
        Gauge.builder("closedloop.leader", leadership, l -> l.leads() ? 1 : 0).strongReference(true)
                .description("1 while this replica leads (polls and writes), 0 on a standby").register(registry);
    }
}
