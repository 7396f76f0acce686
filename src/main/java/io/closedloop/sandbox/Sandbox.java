package io.closedloop.sandbox;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.DispositionProposal;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.OrgProfile;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.sandbox.salesforce.StandardObjects;
import java.util.List;
import java.util.Set;
import io.closedloop.config.SettingsLoader;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.world.EngagementGenerator;
import io.closedloop.sandbox.world.MarketingTeamSimulator;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.sandbox.world.SalesTeamSimulator;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product on one machine: both emulators on local ports, a seeded world with engagement and a
 * sales team, and the real daemon pointed at the emulators through the same settings a deployment uses.
 */
public final class Sandbox implements AutoCloseable {
    /** What the sandbox runs with. Ports of 0 pick free ones. */
    public record Options(WorldConfig world, double eventsPerSecond, int httpPort, int hubspotPort, int salesforcePort,
                          Path dataDir, Duration pollInterval, SalesTeamSimulator.Config salesTeam, boolean keepState,
                          SalesforceOrgProfile orgProfile) {
        public Options(WorldConfig world, double eventsPerSecond, int httpPort, int hubspotPort, int salesforcePort,
                       Path dataDir, Duration pollInterval, SalesTeamSimulator.Config salesTeam, boolean keepState) {
            this(world, eventsPerSecond, httpPort, hubspotPort, salesforcePort, dataDir, pollInterval, salesTeam, keepState,
                    SalesforceOrgProfile.CLASSIC);
        }

        public static Options defaults() {
            return new Options(WorldConfig.defaults(), 20, 8080, 0, 0, Path.of("data", "sandbox"), Duration.ofSeconds(5),
                    SalesTeamSimulator.Config.defaults(), false);
        }

        public Options withOrgProfile(SalesforceOrgProfile profile) {
            return new Options(world, eventsPerSecond, httpPort, hubspotPort, salesforcePort, dataDir, pollInterval, salesTeam,
                    keepState, profile);
        }
    }

    /** A snapshot of what has happened so far, for the live progress line. */
    public record Progress(long engagementGenerated, long eventsPolled, long activitiesWritten, long feedbackSent,
                           long parked, long hubspotCalls, long salesforceCalls, SalesTeamSimulator.Counts salesTeam,
                           ReverseSlaClocks.Counts reverseSla) {
    }

    /** The HubSpot list the simulated marketing team nurtures handed-back leads in (the reverse SLA's nurture list). */
    public static final String NURTURE_LIST = "900";
    /**
     * The reverse SLA in the sandbox, in hours: 72 seconds, so breaches show within minutes of a run (sales acts within a
     * minute of an MQL, marketing within 10 to 50 seconds of the hand-back, or never).
     */
    static final String REVERSE_SLA_HOURS = "0.02";

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final Options options;
    private final Clock clock = Clock.systemUTC();
    private SalesforceEmulator salesforce;
    private HubSpotEmulator hubspot;
    private World world;
    private EngagementGenerator engagement;
    private SalesTeamSimulator salesTeam;
    private MarketingTeamSimulator marketingTeam;
    private ClosedloopRuntime runtime;
    private ScheduledExecutorService scheduler;

    public Sandbox(Options options) {
        this.options = options;
    }

    public Sandbox start() throws Exception {
        prepareDataDir();
        salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock)
                .withSeed(options.world().seed())).start(options.salesforcePort());
        hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)
                .withSeed(options.world().seed())).start(options.hubspotPort());
        salesforce.org().useProfile(options.orgProfile());
        world = WorldSeeder.seed(options.world(), salesforce.org(), hubspot.portal(), clock);
        engagement = new EngagementGenerator(world, hubspot.portal(), options.world().seed());
        salesTeam = new SalesTeamSimulator(salesforce.org(), clock, options.world().seed(), options.salesTeam());
        hubspot.portal().addList(NURTURE_LIST, "Nurture: handed back by sales");
        marketingTeam = new MarketingTeamSimulator(hubspot.portal(), clock, options.world().seed(), NURTURE_LIST,
                MarketingTeamSimulator.Config.defaults());

        // the simulated reps create Leads by the minute, so unmatched people are retried more often than in production
        runtime = new ClosedloopRuntime(settings(), clock, ClosedloopRuntime.ROUTES,
                Map.of("closedloop.unmatched-retry-interval-ms", "60000"));
        runtime.start();

        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox-world");
            t.setDaemon(true);
            return t;
        });
        long perTick = Math.max(1, Math.round(options.eventsPerSecond()));
        scheduler.scheduleAtFixedRate(guard(() -> engagement.generate(clock.instant(), (int) perTick)), 0, 1, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(guard(salesTeam::work), 2, 2, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(guard(marketingTeam::work), 3, 2, TimeUnit.SECONDS);
        return this;
    }

    /** The settings a real deployment would set, pointed at the emulators. */
    ClosedloopSettings settings() {
        Map<String, String> env = daemonEnv(hubspot.baseUrl(), salesforce.baseUrl(), options.dataDir(), options.httpPort(),
                options.pollInterval());
        env.put("CLOSEDLOOP_KEY_MOMENTS", "form-submission,became-mql,page-visit");
        env.put("HUBSPOT_LIST_IDS", String.join(",", world.lists().stream().map(World.MarketingList::id).toList()));
        env.put("CLOSEDLOOP_DISPOSITION_FILE", dispositionFile().toString());
        String logFormat = System.getenv("LOG_FORMAT");
        if (logFormat != null) {
            env.put("LOG_FORMAT", logFormat);
        }
        return SettingsLoader.loadEnvironmentOnly(env);
    }

    /** The environment of a daemon pointed at emulators on these URLs, with its state under {@code dataDir}. */
    public static Map<String, String> daemonEnv(String hubspotUrl, String salesforceUrl, Path dataDir, int httpPort,
                                                Duration pollInterval) {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_BASE_URL", hubspotUrl);
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
        env.put("SALESFORCE_LOGIN_URL", salesforceUrl);
        // the emulators speak plain http on this machine: an explicit opt-in, as a test setup would give
        env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "true");
        env.put("SALESFORCE_CLIENT_ID", SalesforceEmulator.Config.defaults().clientId());
        env.put("SALESFORCE_CLIENT_SECRET", SalesforceEmulator.Config.defaults().clientSecret());
        env.put("CLOSEDLOOP_DB_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("closedloop") + ";DB_CLOSE_ON_EXIT=FALSE");
        env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(httpPort));
        env.put("CLOSEDLOOP_POLL_INTERVAL", pollInterval.toMillis() + "ms");
        return env;
    }

    /**
     * The disposition mapping, written into the data directory: the shipped one for the classic org (the mapping
     * {@code closedloop init} proposes for any other, whose statuses the shipped file does not name), with the reverse
     * SLA on so the hand-backs show.
     */
    private Path dispositionFile() {
        SalesforceOrgProfile p = options.orgProfile();
        Path file = options.dataDir().toAbsolutePath().resolve("dispositions.properties");
        try {
            String mapping;
            if (p != SalesforceOrgProfile.CLASSIC) {
                OrgProfile org = new OrgProfile(p.leadStatuses(), p.newStatus(), "Rejection_Reason__c", true, p.reasons(),
                        "Rejection_Detail__c", true, List.of(StandardObjects.STAGES), Set.of());
                mapping = DispositionProposal.propose(org, null, DispositionRules.defaults()).text();
            } else {
                mapping = Files.exists(DispositionRules.DEFAULT_FILE) ? Files.readString(DispositionRules.DEFAULT_FILE) : "";
            }
            // the org hands back by its recycle status, or else by rejections for Timing
            String reasons = p.recycledStatus() == null && p.reasons().contains(SalesTeamSimulator.TIMING) ? SalesTeamSimulator.TIMING : "";
            Files.writeString(file, mapping + "\n# the sandbox's reverse SLA\n" + DispositionRules.REVERSE_SLA_HOURS_KEY + "=" + REVERSE_SLA_HOURS
                    + "\n" + DispositionRules.REVERSE_SLA_REASONS_KEY + "=" + reasons + "\n" + DispositionRules.REVERSE_SLA_LIST_KEY + "="
                    + NURTURE_LIST + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    private void prepareDataDir() throws IOException {
        Path dir = options.dataDir();
        // the emulators live in memory, so daemon state from an earlier run would point at records that no longer exist
        if (!options.keepState() && Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("sandbox world step failed", e);
            }
        };
    }

    /** Stops the simulated world (engagement and sales team); the daemon keeps polling. */
    public void stopWorld() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    public Progress progress() {
        SyncRuns.Counts totals = runtime.store().runs().totals();
        long engagementCount = engagement.totals().values().stream().mapToLong(Long::longValue).sum();
        return new Progress(engagementCount, totals.read(), salesforce.org().all("Marketing_Activity__c").size(),
                // feedback: contacts whose HubSpot record carries a sales disposition
                hubspot.portal().contacts().stream().filter(c -> c.get("sales_disposition") != null).count(),
                runtime.store().parked().countParked(), hubspot.journal().total(),
                salesforce.journal().total(), salesTeam.counts(), runtime.store().reverseSlaClocks().counts());
    }

    public int httpPort() {
        return runtime.settings().httpPort();
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    public HubSpotEmulator hubspot() {
        return hubspot;
    }

    public World world() {
        return world;
    }

    public ClosedloopRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() throws Exception {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            if (hubspot != null) {
                hubspot.close();
            }
            if (salesforce != null) {
                salesforce.close();
            }
        }
    }
}
