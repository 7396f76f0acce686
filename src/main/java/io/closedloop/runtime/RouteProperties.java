package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.ApiCircuitBreaker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The Closedloop properties the YAML routes ({@code {{closedloop...}}}) and the API clients read, fed from the
 * settings object. A caller's extra properties override them (tests shorten retries and lower the breaker).
 */
final class RouteProperties {
    static final String POLL_INTERVAL_MS = "closedloop.poll-interval-ms";
    static final String RETRY_MAX_REDELIVERIES = "closedloop.retry.max-redeliveries";
    static final String RETRY_INITIAL_DELAY_MS = "closedloop.retry.initial-delay-ms";
    static final String RETRY_MAX_DELAY_MS = "closedloop.retry.max-delay-ms";
    static final String CIRCUIT_BREAKER_FAILURES = "closedloop.circuit-breaker.failures";
    static final String CIRCUIT_BREAKER_OPEN_MS = "closedloop.circuit-breaker.open-ms";
    static final String UNMATCHED_RETRY_INTERVAL_MS = "closedloop.unmatched-retry-interval-ms";

    private RouteProperties() {
    }

    static Map<String, String> of(ClosedloopSettings settings) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(POLL_INTERVAL_MS, millis(settings.pollInterval()));
        p.put(RETRY_MAX_REDELIVERIES, Integer.toString(settings.retry().maxRedeliveries()));
        p.put(RETRY_INITIAL_DELAY_MS, millis(settings.retry().initialDelay()));
        p.put(RETRY_MAX_DELAY_MS, millis(settings.retry().maxDelay()));
        p.put(CIRCUIT_BREAKER_FAILURES, Integer.toString(settings.circuitBreaker().failuresToOpen()));
        p.put(CIRCUIT_BREAKER_OPEN_MS, millis(settings.circuitBreaker().openFor()));
        p.put(UNMATCHED_RETRY_INTERVAL_MS, millis(settings.unmatchedRetryInterval()));
        return p;
    }

    /** Camel Main's own settings (routes, the ops server, health, metrics) and then the Closedloop properties. */
    static Map<String, String> camel(ClosedloopSettings settings, String routes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", "closedloop");
        // listed file by file: Camel Main would resolve a wildcard by reading the whole jar, twice
        p.put("camel.main.routes-include-pattern", RouteFiles.listed(routes));
        p.put("camel.main.shutdown-timeout", "15");
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("camel.management.enabled", "true");
        p.put("camel.management.host", settings.httpHost());
        p.put("camel.management.port", Integer.toString(settings.httpPort()));
        p.put("camel.management.health-check-enabled", "true");
        p.put("camel.management.metrics-enabled", "true");
        p.put("camel.metrics.enabled", "true");
        p.put("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,processor,uptime");
        // per-route policies already count exchanges; the event notifier clashes on shared direct endpoints
        p.put("camel.metrics.enable-exchange-event-notifier", "false");
        p.put("camel.health.enabled", "true");
        p.put("camel.health.exposure-level", "full");
        // one retry policy owns retries: HttpClient's silent 429/503 retry would double API calls
        p.put("camel.component.http.automatic-retries-disabled", "true");
        p.putAll(of(settings));
        return p;
    }

    /** The circuit breaker as the context resolves its properties: the settings', or an extra property's override. */
    static ApiCircuitBreaker.Settings circuitBreaker(CamelContext context) {
        return new ApiCircuitBreaker.Settings(Math.toIntExact(number(context, CIRCUIT_BREAKER_FAILURES)),
                Duration.ofMillis(number(context, CIRCUIT_BREAKER_OPEN_MS)));
    }

    private static long number(CamelContext context, String key) {
        String value = context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException(key + ": not set"));
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got \"" + value + "\"", e);
        }
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
