package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.ops.FlowHealth;
import io.closedloop.ops.FlowHealthCheck;
import io.closedloop.ops.ApiBudgetHealthCheck;
import io.closedloop.ops.ApiBudgetMetrics;
import io.closedloop.hubspot.HubSpotBudget;
import io.closedloop.salesforce.SalesforceBudget;
import io.closedloop.core.ApiCircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import io.closedloop.state.StateStore;
import io.closedloop.flow.SyncFailureHandler;
import io.closedloop.config.SalesforceAuth;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotEmailEventReader;
import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.hubspot.HubSpotFormSubmissionReader;
import io.closedloop.hubspot.HubSpotListMembershipReader;
import io.closedloop.flow.engagement.SalesforceActivityReplay;
import io.closedloop.flow.engagement.SalesforceActivitySink;
import io.closedloop.flow.engagement.SalesforceSummaryReplay;
import io.closedloop.salesforce.SalesforceSummaryWriter;
import io.closedloop.state.StateRetention;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.flow.engagement.SalesforceUnmatchedRetry;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceJwtKeystore;
import io.closedloop.salesforce.SalesforceSchemaCheck;
import io.closedloop.flow.SalesforceSchemaGate;
import io.closedloop.salesforce.SalesforceSlaClockStarter;
import io.closedloop.flow.sla.SlaWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.closedloop.flow.SyncCheckpoint;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The daemon: Camel Main with the YAML routes, the state store and the ops server, wired from one
 * settings object. {@link #run()} blocks until SIGTERM/Ctrl-C; tests use {@link #start()} and {@link #close()}.
 */
public final class ClosedloopRuntime implements AutoCloseable {
    public static final String ROUTES = "classpath:routes/*.camel.yaml";

    private final ClosedloopSettings settings;
    private final Clock clock;
    private final StateStore store;
    private final FlowHealth flowHealth;
    private final Main main;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private SalesforceSchemaGate schemaGate;
    private ParkedReplay parkedReplay;
    private HubSpotBudget hubspotBudget;
    private SalesforceBudget salesforceBudget;

    public ClosedloopRuntime(ClosedloopSettings settings, Clock clock) {
        this(settings, clock, ROUTES, Map.of());
    }

    /**
     * @param routes         Camel routes include pattern (tests add their own routes)
     * @param extraProperties Camel or Closedloop properties that override the defaults (tests shorten retry delays)
     */
    public ClosedloopRuntime(ClosedloopSettings settings, Clock clock, String routes, Map<String, String> extraProperties) {
        this.settings = settings;
        this.clock = clock;
        this.store = StateStore.open(settings, clock);
        this.flowHealth = new FlowHealth(clock);
        this.main = new Main();
        camelProperties(routes).forEach(main::addOverrideProperty);
        extraProperties.forEach(main::addOverrideProperty);
        main.bind("settings", settings);
        main.bind("clock", clock);
        main.bind("stateStore", store);
        main.bind("flowHealth", flowHealth);
        // camel-micrometer-prometheus serves the registry it finds under this name, so our gauges share /observe/metrics
        main.bind("metricsRegistry", metrics);
        main.bind("syncFailureHandler", new SyncFailureHandler(store.parked(), flowHealth));
        main.bind("stateRetention", new StateRetention(store.parked(), clock, settings.parkedRetention()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                bindFlows(support.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                HealthCheckRegistry.get(context).register(new FlowHealthCheck(flowHealth));
                HealthCheckRegistry.get(context).register(new ApiBudgetHealthCheck(List.of(hubspotBudget, salesforceBudget)));
                try {
                    context.addStartupListener(schemaCheckAtStartup());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot register the Salesforce schema check", e);
                }
            }
        });
    }

    /** How long an email's resolution to a Lead or Contact is reused before Salesforce is asked again. */
    static final Duration IDENTITY_CACHE = Duration.ofMinutes(15);

    /** Runs the schema check once every route has started, off the main thread so a slow Salesforce delays nothing. */
    private ExtendedStartupListener schemaCheckAtStartup() {
        return new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                // every poll waits on the gate, so no flow runs before the verdict either way
                Thread check = new Thread(schemaGate::checkAtStartup, "closedloop-schema-check");
                check.setDaemon(true);
                check.start();
            }
        };
    }

    /** The flows' beans, which need the Camel context for their HTTP and Salesforce endpoints. */
    private void bindFlows(CamelContext context) {
        context.addComponent("salesforce", salesforceComponent());
        var registry = context.getRegistry();
        ApiCircuitBreaker.Settings circuit = new ApiCircuitBreaker.Settings(
                Integer.parseInt(property(context, "closedloop.circuit-breaker.failures", "5")),
                Duration.ofMillis(Long.parseLong(property(context, "closedloop.circuit-breaker.open-ms", "60000"))));
        hubspotBudget = new HubSpotBudget(clock, settings.hubspotBurstPer10s(), settings.hubspotDailyBudget());
        salesforceBudget = new SalesforceBudget(clock, settings.salesforceDailyShare());
        HubSpotClient hubspot = new HubSpotClient(context, settings, hubspotBudget, new ApiCircuitBreaker("hubspot", "HubSpot", clock, circuit));
        SalesforceClient salesforce = new SalesforceClient(context, settings, salesforceBudget,
                new ApiCircuitBreaker("salesforce", "Salesforce", clock, circuit));
        ApiBudgetMetrics.register(metrics, List.of(hubspotBudget, salesforceBudget));
        registry.bind("hubSpotClient", hubspot);
        registry.bind("salesforceClient", salesforce);
        registry.bind("syncCheckpoint", new SyncCheckpoint(store, flowHealth));
        registry.bind("hubSpotEmailEventReader", new HubSpotEmailEventReader(hubspot, store, clock, HubSpotEmailEventReader.Window.defaults()));
        registry.bind("hubSpotFormSubmissionReader", new HubSpotFormSubmissionReader(hubspot, store, clock, Duration.ofHours(1),
                Duration.ofSeconds(5)));
        registry.bind("hubSpotContactChangeReader", new HubSpotContactChangeReader(hubspot, store, clock,
                HubSpotContactChangeReader.Window.defaults(), new HubSpotContactChangeReader.MqlDefinition(
                        settings.dispositionRules().mqlStage(), settings.dispositionRules().mqlScore())));
        registry.bind("hubSpotListMembershipReader", new HubSpotListMembershipReader(hubspot, store, clock, settings.hubspotListIds(),
                Duration.ofHours(1)));
        SalesforceIdentityResolver resolver = new SalesforceIdentityResolver(salesforce, settings.preferContact(), settings.duplicatePolicy(),
                store.identities(), clock, IDENTITY_CACHE);
        schemaGate = new SalesforceSchemaGate(new SalesforceSchemaCheck(salesforce, settings.fieldMapping(), settings.keyMoments().enabled()), flowHealth, context);
        registry.bind("salesforceSchemaGate", schemaGate);
        String apiVersion = settings.salesforceApiVersion();
        SalesforceActivitySink sink = new SalesforceActivitySink(salesforce, store, resolver,
                new io.closedloop.salesforce.SalesforceLeadCreator(salesforce, clock, apiVersion, settings.createLeadsForUnmatchedMqls()),
                new io.closedloop.salesforce.SalesforceAccountFinder(salesforce, store.domainAccounts(), clock),
                new io.closedloop.salesforce.SalesforceActivityWriter(salesforce, apiVersion, Duration.ofMillis(500)),
                new io.closedloop.salesforce.SalesforceKeyMomentTasks(salesforce, store, settings.keyMoments(), apiVersion),
                new SalesforceSummaryWriter(salesforce, store, settings.fieldMapping(), clock, apiVersion), clock);
        sink.startingSlaClocks(new SalesforceSlaClockStarter(salesforce, store, settings.dispositionRules()));
        registry.bind("salesforceActivitySink", sink);
        registry.bind("slaWatch", new SlaWatch(salesforce, new HubSpotContactWriter(hubspot), store, settings.dispositionRules(), clock,
                settings.salesforceApiVersion(), () -> context.getRegistry().findSingleByType(MeterRegistry.class)));
        SalesforceActivityReplay activityReplay = new SalesforceActivityReplay(schemaGate, sink, store);
        registry.bind("salesforceUnmatchedRetry", new SalesforceUnmatchedRetry(store, activityReplay));
        // Flow 1 engagement and its summary writes; later flows register their own prefix
        parkedReplay = new ParkedReplay(store.parked())
                .register("hubspot-", activityReplay)
                .register(SalesforceSummaryWriter.FLOW, new SalesforceSummaryReplay(schemaGate, sink, store));
        registry.bind("parkedReplay", parkedReplay);
        bindFeedback(registry, hubspot, salesforce);
    }

    /** Flow 2's beans: sales dispositions back to HubSpot, and campaign attribution. */
    private void bindFeedback(org.apache.camel.spi.Registry registry, HubSpotClient hubspot, SalesforceClient salesforce) {
        var rules = settings.dispositionRules();
        var feedbackSetup = new io.closedloop.flow.feedback.HubSpotFeedbackSetup(new io.closedloop.hubspot.HubSpotPropertySetup(hubspot), salesforce, rules);
        registry.bind("hubSpotFeedbackSetup", feedbackSetup);
        registry.bind("salesforceDispositionReader", new io.closedloop.salesforce.SalesforceDispositionReader(salesforce, store, rules,
                clock, Duration.ofHours(1), Duration.ofSeconds(60)));
        registry.bind("salesforceCampaignAttribution", new io.closedloop.salesforce.SalesforceCampaignAttribution(salesforce, store));
        var dispositionWriter = new io.closedloop.hubspot.HubSpotDispositionWriter(
                new io.closedloop.hubspot.HubSpotContactWriter(hubspot), store, rules, io.closedloop.salesforce.SalesforceDispositionReader.SOURCE);
        registry.bind("hubSpotDispositionWriter", dispositionWriter);
        parkedReplay.register(io.closedloop.salesforce.SalesforceDispositionReader.SOURCE,
                new io.closedloop.flow.feedback.HubSpotDispositionReplay(feedbackSetup, dispositionWriter, store.parked()));
        registry.bind("attributionReport", new io.closedloop.flow.feedback.AttributionReport(store));
    }

    /** A Closedloop tuning property (overridable like closedloop.retry.*), with its default. */
    private static String property(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(defaultValue);
    }

    private SalesforceComponent salesforceComponent() {
        return salesforceComponent(settings);
    }

    /** camel-salesforce, logging in lazily so that bad credentials stop the flows (health DOWN) rather than startup. */
    static SalesforceComponent salesforceComponent(ClosedloopSettings settings) {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(settings.salesforceLoginUrl().toString());
        component.setClientId(settings.salesforceAuth().clientId());
        if (settings.salesforceAuth() instanceof SalesforceAuth.ClientCredentials cc) {
            component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
            component.setClientSecret(cc.clientSecret().reveal());
        } else if (settings.salesforceAuth() instanceof SalesforceAuth.JwtBearer jwt) {
            component.setAuthenticationType(AuthenticationType.JWT);
            component.setUserName(jwt.username());
            component.setKeystore(SalesforceJwtKeystore.of(jwt));
        }
        component.setLazyLogin(true);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.salesforceApiVersion());
        component.setConfig(config);
        return component;
    }

    private Map<String, String> camelProperties(String routes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", "closedloop");
        p.put("camel.main.routes-include-pattern", routes);
        p.put("camel.main.shutdown-timeout", "15");
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("camel.management.enabled", "true");
        p.put("camel.management.host", "0.0.0.0");
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
        p.put("closedloop.poll-interval-ms", Long.toString(settings.pollInterval().toMillis()));
        return p;
    }

    /** Starts the daemon and returns once every route is up. */
    public void start() throws Exception {
        main.start();
    }

    /** Starts the daemon and blocks until it is asked to shut down. */
    public void run() throws Exception {
        try {
            main.run();
        } finally {
            store.close();
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public StateStore store() {
        return store;
    }

    public FlowHealth flowHealth() {
        return flowHealth;
    }

    /** The Salesforce schema verdict that lets Flow 1 run. */
    public SalesforceSchemaGate schemaGate() {
        return schemaGate;
    }

    /** Replays parked records through their flow's write path (the {@code replay} command). */
    public ParkedReplay parkedReplay() {
        return parkedReplay;
    }

    /**
     * Properties for a runtime that only replays: no route starts (no poll, no scheduled retry or retention), and
     * no ops server, so it runs next to a daemon without taking its port.
     */
    public static Map<String, String> replayOnly() {
        return Map.of("camel.main.auto-startup", "false", "camel.management.enabled", "false");
    }

    public HubSpotBudget hubspotBudget() {
        return hubspotBudget;
    }

    public SalesforceBudget salesforceBudget() {
        return salesforceBudget;
    }

    public ClosedloopSettings settings() {
        return settings;
    }

    @Override
    public void close() throws Exception {
        try {
            main.stop();
        } finally {
            store.close();
        }
    }
}
