package io.closedloop.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/**
 * Parked records as gauges on /observe/metrics, so people who wait for a Salesforce match do not hide failures:
 * {@code closedloop_parked_records{state="waiting"}} (UNMATCHED, retried on a backoff) and
 * {@code closedloop_parked_records{state="failed"}} (every other reason).
 */
public final class ParkedMetrics {
    private ParkedMetrics() {
    }

    public static void register(MeterRegistry registry, LongSupplier waiting, LongSupplier failed) {
        // the suppliers are lambdas nothing else holds: a weakly held one is collected and the gauge turns NaN
        Gauge.builder("closedloop.parked.records", waiting, LongSupplier::getAsLong).strongReference(true).tag("state", "waiting")
                .description("Parked records waiting for their person to exist in Salesforce (retried automatically)").register(registry);
        Gauge.builder("closedloop.parked.records", failed, LongSupplier::getAsLong).strongReference(true).tag("state", "failed")
                .description("Parked records that failed for any other reason (see the parked command)").register(registry);
    }
}
