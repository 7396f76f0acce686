package io.closedloop.testsupport;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.camel.ProducerTemplate;

/**
 * Both emulators plus the real daemon pointed at them through ordinary settings, with the scheduled
 * triggers off so that a test polls each source exactly when it wants.
 */
public final class Emulators implements AutoCloseable {
    public final SalesforceEmulator salesforce;
    public final HubSpotEmulator hubspot;
    private final Path dir;
    private final Clock clock;
    private ClosedloopRuntime runtime;

    public Emulators(Path dir, Clock clock) throws Exception {
        this(dir, clock, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** Emulators with adjusted configs (e.g. a small Salesforce daily allocation, a HubSpot tier). */
    public Emulators(Path dir, Clock clock, UnaryOperator<SalesforceEmulator.Config> salesforceConfig,
            UnaryOperator<HubSpotEmulator.Config> hubspotConfig) throws Exception {
        this.dir = dir;
        this.clock = clock;
        this.salesforce = new SalesforceEmulator(salesforceConfig.apply(SalesforceEmulator.Config.defaults().withClock(clock))).start(0);
        this.hubspot = new HubSpotEmulator(hubspotConfig.apply(HubSpotEmulator.Config.defaults().withClock(clock))).start(0);
    }

    /** The running daemon. */
    public ClosedloopRuntime runtime() {
        return runtime;
    }

    public Map<String, String> env() {
        Map<String, String> env = TestSettings.env(dir);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
        env.put("SALESFORCE_LOGIN_URL", salesforce.baseUrl());
        env.put("SALESFORCE_CLIENT_ID", SalesforceEmulator.Config.defaults().clientId());
        env.put("SALESFORCE_CLIENT_SECRET", SalesforceEmulator.Config.defaults().clientSecret());
        return env;
    }

    /** Starts the daemon; every scheduled trigger is off, tests poll through the direct endpoints. */
    public ClosedloopRuntime startDaemon(Map<String, String> env, Map<String, String> properties) throws Exception {
        ClosedloopSettings settings = TestSettings.settings(dir, env);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("closedloop.flow.hubspot-email-events", "false");
        props.put("closedloop.flow.hubspot-form-submissions", "false");
        props.put("closedloop.flow.hubspot-contact-changes", "false");
        props.put("closedloop.flow.salesforce-unmatched-retry", "false");
        props.put("closedloop.flow.salesforce-dispositions", "false");
        props.put("closedloop.flow.hubspot-list-memberships", "false");
        props.put("closedloop.flow.sla-watch", "false");
        props.put("closedloop.flow.reverse-sla-watch", "false");
        props.put("closedloop.flow.salesforce-campaigns", "false");
        props.put("closedloop.flow.state-retention", "false");
        props.put("closedloop.retry.max-redeliveries", "2");
        props.put("closedloop.retry.initial-delay-ms", "10");
        // tests that fail many calls on purpose expect the next poll to get through; breaker tests lower this
        props.put("closedloop.circuit-breaker.failures", "50");
        props.putAll(properties);
        runtime = new ClosedloopRuntime(settings, clock, ClosedloopRuntime.ROUTES, props);
        runtime.start();
        return runtime;
    }

    public ClosedloopRuntime startDaemon() throws Exception {
        return startDaemon(env(), Map.of());
    }

    /** Runs one poll of a source synchronously (e.g. "hubspot-email-events"). */
    public void poll(String source) {
        try (ProducerTemplate template = runtime.camelContext().createProducerTemplate()) {
            template.sendBody("direct:" + source + "-poll", null);
            awaitSummaries();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for the summary flush the poll kicked (it runs on its own thread), as a poll's caller sees it settle. */
    public void awaitSummaries() {
        var flusher = runtime.camelContext().getRegistry().lookupByNameAndType(io.closedloop.flow.engagement.SummaryFlusher.BEAN,
                io.closedloop.flow.engagement.SummaryFlusher.class);
        try {
            if (flusher != null && !flusher.awaitIdle(java.time.Duration.ofSeconds(120))) {
                throw new IllegalStateException("the summary flush did not end within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every call either emulator journaled that creates, updates or upserts something, by endpoint name. */
    public java.util.List<String> writeCalls() {
        return java.util.stream.Stream.concat(hubspot.journal().calls().stream(), salesforce.journal().calls().stream())
                .map(io.closedloop.sandbox.http.CallJournal.Call::endpoint).filter(e -> e.matches(".*\\.(create|update|upsert)$")).toList();
    }

    /** The state store of the running daemon. */
    public io.closedloop.state.StateStore startedStore() {
        return runtime.store();
    }

    public void stopDaemon() throws Exception {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    @Override
    public void close() throws Exception {
        stopDaemon();
        hubspot.close();
        salesforce.close();
    }
}
