package io.closedloop.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsMetricsTest {
    private final Clock clock = Clock.systemUTC();
    private final StateStore store = StateStore.open("jdbc:h2:mem:opsmetrics" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", clock);
    /** OpsView asks it once per flow at every snapshot: how many times the store was read. */
    private final AtomicInteger routeQuestions = new AtomicInteger();
    private final OpsView view = new OpsView(store, new FlowHealth(clock), clock, route -> {
        routeQuestions.incrementAndGet();
        return true;
    });
    private final RefreshingPrometheusRegistry registry = new RefreshingPrometheusRegistry();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void registeringReadsNothingFromTheStoreSoAFirstStartDoesNotWaitForItsMigrationTheFirstScrapeFillsTheMetrics() {
        OpsMetrics metrics = OpsMetrics.register(registry, view, new StateStoreAvailability(timeout -> Optional.empty(), clock,
                Duration.ofSeconds(5)), Duration.ofSeconds(30));
        registry.beforeScrape(metrics::refresh);

        assertThat(routeQuestions).hasValue(0);
        assertThat(metrics.last()).isNull();

        String scraped = registry.scrape();
        assertThat(routeQuestions.get()).isPositive();
        assertThat(metrics.last()).isNotNull();
        assertThat(scraped).contains("closedloop_flow_running{flow=\"hubspot-email-events\"} 1.0")
                .contains("closedloop_parked_records{flow=\"hubspot-email-events\",reason=\"none\",state=\"failed\"} 0.0");
    }
}
