package io.closedloop.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** A Prometheus registry that brings the store-backed metrics up to date before each scrape. */
public final class RefreshingPrometheusRegistry extends PrometheusMeterRegistry {
    private volatile Runnable beforeScrape = () -> { };

    public RefreshingPrometheusRegistry() {
        super(PrometheusConfig.DEFAULT);
    }

    public void beforeScrape(Runnable refresh) {
        this.beforeScrape = refresh;
    }

    @Override
    public String scrape() {
        beforeScrape.run();
        return super.scrape();
    }

    @Override
    public String scrape(String contentType) {
        // camel-micrometer-prometheus serves /observe/metrics through this one
        beforeScrape.run();
        return super.scrape(contentType);
    }
}
