package io.closedloop.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN with the reason while the state store does not answer its probe; UP again once it does. */
public class StateStoreHealthCheck extends AbstractHealthCheck {
    private final StateStoreAvailability store;

    public StateStoreHealthCheck(StateStoreAvailability store) {
        super("closedloop", "state-store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        // a restart does not bring a database back; the daemon recovers by itself when it returns
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StateStoreAvailability.Status status = store.check();
        if (status.up()) {
            builder.up();
            return;
        }
        builder.message("state store unavailable since " + status.since() + ": " + status.problem().get() + "; flows paused");
        builder.detail("state-store", status.problem().get());
        builder.down();
    }
}
