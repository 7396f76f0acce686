package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.ops.FlowHealth;
import io.closedloop.ops.FlowHealthCheck;
import io.closedloop.core.ClockOffset;
import io.closedloop.ops.ApiBudgetHealthCheck;
import io.closedloop.ops.ApiBudgetMetrics;
import io.closedloop.ops.DispositionMappingHealthCheck;
import io.closedloop.ops.UnmappedDispositionStatuses;
import io.closedloop.ops.OpsAccess;
import io.closedloop.console.OpsConsole;
import io.closedloop.ops.OpsMetrics;
import io.closedloop.ops.OpsView;
import io.closedloop.ops.RefreshingPrometheusRegistry;
import io.closedloop.ops.StateStoreAvailability;
import io.closedloop.ops.StateStoreHealthCheck;
import io.closedloop.hubspot.HubSpotBudget;
import io.closedloop.salesforce.SalesforceBudget;
import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.Leadership;
import io.closedloop.ops.LeadershipHealthCheck;
import java.util.List;
import io.closedloop.state.StateStore;
import io.closedloop.flow.SyncFailureHandler;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.state.StateRetention;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceSchemaCheck;
import io.closedloop.salesforce.SalesforceSummaryWriter;
import io.closedloop.flow.SalesforceSchemaGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.closedloop.flow.SyncCheckpoint;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.flow.engagement.EngagementFlow;
import io.closedloop.flow.feedback.FeedbackFlow;
import io.closedloop.flow.feedback.FirstDispositionRead;
import io.closedloop.flow.sla.SlaFlow;
import io.closedloop.flow.campaigns.CampaignsFlow;
import java.time.Clock;
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
    private final StateStoreAvailability storeAvailability;
    private final OpsAccess opsAccess;
    private final Main main;
    private final RefreshingPrometheusRegistry metrics = new RefreshingPrometheusRegistry();
    private OpsView opsView;
    private SalesforceSchemaGate schemaGate;
    private ParkedReplay parkedReplay;
    /** Flow 1's summary flush thread, ended after the routes and before the store. */
    private volatile io.closedloop.flow.engagement.SummaryFlusher summaryFlusher;
    private HubSpotBudget hubspotBudget;
    private SalesforceBudget salesforceBudget;
    private List<ClockOffset> clockOffsets = List.of();
    /** Problems that refuse the start, asked for once Camel is configured and before any route starts. */
    private java.util.function.Supplier<List<String>> startCheck = List::of;
    /** Whether this runtime is the daemon (its routes start), not a replay or a plan. */
    private final boolean daemon;
    /** Replicas on PostgreSQL elect a leader; null on a single node (H2) and in a replay-only runtime. */
    private final io.closedloop.cluster.PostgresLeaderElection election;

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
        if (!"false".equals(extraProperties.get("camel.management.enabled"))) {
            // before the store or any flow: a daemon without its ops server would answer no health check
            OpsPortCheck.ensureFree(settings.httpHost(), settings.httpPort());
        }
        // the schema migrates on its own thread while Camel is configured; the start joins it before any route starts
        this.store = StateStore.opening(settings, clock);
        // only a daemon ends abandoned runs: a replay or a plan runs next to a live daemon, whose runs are not abandoned
        this.daemon = !"false".equals(extraProperties.get("camel.main.auto-startup"));
        this.election = Replicas.election(settings, store, extraProperties);
        Leadership leadership = election == null ? Leadership.SINGLE_NODE : election;
        store.fenceWith(leadership);
        LeadershipHealthCheck.register(metrics, leadership);
        this.flowHealth = new FlowHealth(clock);
        this.main = new Main();
        RouteProperties.camel(settings, routes).forEach(main::addOverrideProperty);
        extraProperties.forEach(main::addOverrideProperty);
        main.bind("settings", settings);
        main.bind("clock", clock);
        main.bind("stateStore", store);
        main.bind("flowHealth", flowHealth);
        this.opsAccess = new OpsAccess(settings.opsToken().reveal());
        main.bind("opsAccess", opsAccess);
        this.storeAvailability = new StateStoreAvailability(store::ping, clock, settings.pollInterval());
        main.bind("stateStoreGate", storeAvailability);
        // camel-micrometer-prometheus serves the registry it finds under this name, so our gauges share /observe/metrics
        main.bind("metricsRegistry", metrics);
        main.bind("syncFailureHandler", new SyncFailureHandler(store.parked(), flowHealth));
        main.bind("stateRetention", new StateRetention(store.parked(), store.dispositions(), clock, settings.parkedRetention()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeStop(BaseMainSupport support) {
                io.closedloop.log.StoppingDaemonFilter.daemonStopping(true);
            }

            @Override
            public void beforeConfigure(BaseMainSupport support) {
                Replicas.install(support.getCamelContext(), election);
                bindFlows(support.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                HealthCheckRegistry.get(context).register(new FlowHealthCheck(flowHealth));
                HealthCheckRegistry.get(context).register(new StateStoreHealthCheck(storeAvailability));
                HealthCheckRegistry.get(context).register(new LeadershipHealthCheck(leadership));
                HealthCheckRegistry.get(context).register(new ApiBudgetHealthCheck(List.of(hubspotBudget, salesforceBudget), clockOffsets));
                UnmappedDispositionStatuses unmapped = context.getRegistry().lookupByNameAndType(FeedbackFlow.UNMAPPED_BEAN,
                        UnmappedDispositionStatuses.class);
                if (unmapped != null) {
                    HealthCheckRegistry.get(context).register(new DispositionMappingHealthCheck(unmapped));
                }
                try {
                    context.addStartupListener(startCheckBeforeRoutes());
                    context.addStartupListener(schemaCheckAtStartup());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot register the start-up checks", e);
                }
            }
        });
    }

    /**
     * Joins the store's migration and asks the start check as late as Camel allows and still before any route (so any
     * poll or ops page) starts: the context's services start meanwhile, in parallel with the check.
     */
    private org.apache.camel.StartupListener startCheckBeforeRoutes() {
        return new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext starting, boolean alreadyStarted) {
                // a schema that could not be migrated refuses the start with the migration's own failure
                store.awaitSchema();
                if (daemon) {
                    // a run left RUNNING belongs to a daemon that stopped mid-run; its cursor never moved past it
                    store.runs().endAbandoned("abandoned: the daemon stopped during the run");
                }
                List<String> problems = startCheck.get();
                if (!problems.isEmpty()) {
                    throw new StartRefused(problems);
                }
            }

            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }
        };
    }

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

    /** Every flow binds itself. */
    static final List<FlowBinding> FLOWS = List.of(new EngagementFlow(), new FeedbackFlow(), new SlaFlow(), new CampaignsFlow());

    /** The shared clients, budgets and gate once, then every flow's beans (they need the Camel context for endpoints). */
    private void bindFlows(CamelContext context) {
        context.addComponent("salesforce", SalesforceComponents.of(settings));
        context.addComponent("quartz", QuartzTriggers.component());
        var registry = context.getRegistry();
        ApiCircuitBreaker.Settings circuit = RouteProperties.circuitBreaker(context);
        hubspotBudget = new HubSpotBudget(clock, settings.hubspotBurstPer10s(), settings.hubspotDailyBudget(), store.apiBudgets());
        salesforceBudget = new SalesforceBudget(clock, settings.salesforceDailyShare(), store.apiBudgets());
        HubSpotClient hubspot = new HubSpotClient(context, settings, hubspotBudget, new ApiCircuitBreaker("hubspot", "HubSpot", clock, circuit),
                clock);
        SalesforceClient salesforce = new SalesforceClient(context, settings, salesforceBudget,
                new ApiCircuitBreaker("salesforce", "Salesforce", clock, circuit), clock);
        clockOffsets = List.of(hubspot.clockOffset(), salesforce.clockOffset());
        ApiBudgetMetrics.register(metrics, List.of(hubspotBudget, salesforceBudget), clockOffsets);
        opsView = new OpsView(store, flowHealth, clock, route -> context.getRouteController().getRouteStatus(route) != null
                && context.getRouteController().getRouteStatus(route).isStarted());
        OpsMetrics opsMetrics = OpsMetrics.register(metrics, opsView, storeAvailability, settings.pollInterval());
        metrics.beforeScrape(opsMetrics::refresh);
        registry.bind("opsConsole", new OpsConsole(store, opsView, storeAvailability, () -> List.of(hubspotBudget, salesforceBudget),
                () -> parkedReplay, opsAccess, new OpsConsole.Identity(version(), settings.hubspotBaseUrl().getHost(),
                settings.salesforceLoginUrl().getHost()), clock));
        registry.bind("hubSpotClient", hubspot);
        registry.bind("salesforceClient", salesforce);
        registry.bind("syncCheckpoint", new SyncCheckpoint(store, flowHealth));
        schemaGate = new SalesforceSchemaGate(new SalesforceSchemaCheck(salesforce, settings.fieldMapping(),
                new SalesforceSchemaCheck.Needs(settings.keyMoments().enabled(), settings.createLeadsForUnmatchedMqls(), false)), flowHealth, context);
        registry.bind("salesforceSchemaGate", schemaGate);
        parkedReplay = new ParkedReplay(store.parked());
        registry.bind("parkedReplay", parkedReplay);
        FlowContext shared = new FlowContext(settings, clock, store, flowHealth, hubspot, new HubSpotContactWriter(hubspot),
                salesforce, schemaGate, parkedReplay, registry, () -> context.getRegistry().findSingleByType(MeterRegistry.class));
        FLOWS.forEach(flow -> flow.bind(shared));
        summaryFlusher = registry.lookupByNameAndType(io.closedloop.flow.engagement.SummaryFlusher.BEAN,
                io.closedloop.flow.engagement.SummaryFlusher.class);
        // a first start's catch-up: Lead summaries wait for Flow 2's first read, which dates dispositions by SystemModstamp
        SalesforceSummaryWriter summaries = registry.lookupByNameAndType(EngagementFlow.SUMMARY_WRITER, SalesforceSummaryWriter.class);
        if (summaries != null) {
            summaries.holdingLeadsWhile(new FirstDispositionRead(store.cursors(), clock, () -> {
                var status = context.getRouteController().getRouteStatus(DISPOSITIONS_ROUTE);
                return status != null && status.isStarted();
            }));
        }
    }

    /** The trigger route of Flow 2's dispositions source (routes/salesforce-dispositions-source.camel.yaml). */
    static final String DISPOSITIONS_ROUTE = "salesforce-dispositions-source";

    /** The version recorded at build time, for the status page. */
    static String version() {
        try (java.io.InputStream in = ClosedloopRuntime.class.getResourceAsStream("/closedloop-version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * A check that may refuse the start, answered once the store is open and Camel's services have started, before any
     * route starts: {@code run} checks the org in parallel with the rest of the start-up and joins it here, so a refusal
     * still starts no flow and writes nothing.
     */
    public void refuseStartOn(java.util.function.Supplier<List<String>> check) {
        this.startCheck = check;
    }

    /** The start-up check found problems: no route has started. */
    public static final class StartRefused extends RuntimeException {
        private final transient List<String> problems;

        StartRefused(List<String> problems) {
            super(problems.size() + " problem(s) refuse the start");
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** Starts the daemon and returns once every route is up. */
    public void start() throws Exception {
        io.closedloop.log.StoppingDaemonFilter.daemonStopping(false);
        main.start();
    }

    /** Starts the daemon and blocks until it is asked to shut down. */
    public void run() throws Exception {
        io.closedloop.log.StoppingDaemonFilter.daemonStopping(false);
        try {
            main.run();
            endSummaryFlush();
        } finally {
            store.close();
        }
    }

    /** The polls have stopped: a summary flush still running ends (or is cut, its records left queued) before the store closes. */
    private void endSummaryFlush() throws InterruptedException {
        if (summaryFlusher != null) {
            summaryFlusher.close();
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
        // its own name, so that in one JVM it never shares (and stops) the daemon's Quartz scheduler
        return Map.of("camel.main.auto-startup", "false", "camel.management.enabled", "false", "camel.main.name", "closedloop-replay");
    }

    /** Whether this daemon leads: always on a single node; among replicas, the elected one. */
    public Leadership leadership() {
        return store.fence();
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
            // Main.stop alone does not call the listeners' beforeStop (only run's own ending does)
            io.closedloop.log.StoppingDaemonFilter.daemonStopping(true);
            main.stop();
            endSummaryFlush();
        } finally {
            store.close();
        }
    }
}
