package io.closedloop.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.closedloop.cli.VersionProvider;
import io.closedloop.log.LogSetup;
import io.closedloop.sandbox.world.WorldConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code closedloop sandbox}: the whole product running locally against emulated HubSpot and Salesforce. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run Closedloop against local HubSpot and Salesforce emulators with a simulated marketing and sales team.",
                "No credentials needed. State goes under --data-dir (fresh each run). Stop with Ctrl-C."})
public class SandboxCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "42", description = "World seed: the same seed gives the same world (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--companies", defaultValue = "60", description = "Companies in the simulated world (default: ${DEFAULT-VALUE}).")
    int companies;

    @Option(names = "--rate", defaultValue = "20", description = "Engagement events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--http-port", defaultValue = "8080", description = "Ops HTTP port of the daemon (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--hubspot-port", defaultValue = "0", description = "HubSpot emulator port (default: a free port).")
    int hubspotPort;

    @Option(names = "--salesforce-port", defaultValue = "0", description = "Salesforce emulator port (default: a free port).")
    int salesforcePort;

    @Option(names = "--poll-interval", defaultValue = "5s", description = "How often the daemon polls (default: ${DEFAULT-VALUE}).",
            converter = DurationConverter.class)
    Duration pollInterval;

    @Option(names = "--data-dir", defaultValue = "data/sandbox", description = "Where the daemon keeps its state (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--keep-state", description = "Keep the daemon state of the previous run instead of starting fresh.")
    boolean keepState;

    @Option(names = "--duration", description = "Stop by itself after this long (e.g. 2m); default: run until Ctrl-C.",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--org-profile", defaultValue = "classic", converter = OrgProfileConverter.class,
            description = "How the emulated Salesforce org is configured: classic (Open - Not Contacted, Working - Contacted, "
                    + "Closed - Converted, Closed - Not Converted) or modern (New, Working, Nurturing, Qualified, Unqualified; "
                    + "reasons No Budget, Not a Fit, Competitor, Unresponsive). Default: ${DEFAULT-VALUE}.")
    io.closedloop.sandbox.salesforce.SalesforceOrgProfile orgProfile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static class OrgProfileConverter implements CommandLine.ITypeConverter<io.closedloop.sandbox.salesforce.SalesforceOrgProfile> {
        @Override
        public io.closedloop.sandbox.salesforce.SalesforceOrgProfile convert(String value) {
            try {
                return io.closedloop.sandbox.salesforce.SalesforceOrgProfile.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected classic or modern, got '" + value + "'");
            }
        }
    }

    /** Durations as settings take them (30s, 5m, PT1M); shared with {@code bench}. */
    public static class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = io.closedloop.config.SettingsLoader.parseDuration(value);
            if (d == null) {
                throw new CommandLine.TypeConversionException("expected a duration such as 30s, 5m or PT1M, got '" + value + "'");
            }
            return d;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        quietLogs();
        Sandbox.Options options = new Sandbox.Options(WorldConfig.defaults().withSeed(seed).withCompanies(companies), rate,
                httpPort, hubspotPort, salesforcePort, dataDir, pollInterval,
                io.closedloop.sandbox.world.SalesTeamSimulator.Config.defaults(), keepState).withOrgProfile(orgProfile);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Sandbox sandbox = new Sandbox(options).start()) {
            LogSetup.apply(sandbox.runtime().settings());
            quietLogs();
            printBanner(out, sandbox);
            Instant end = duration == null ? Instant.MAX : Instant.now().plus(duration);
            boolean tty = System.console() != null;
            while (!stop.await(2, TimeUnit.SECONDS)) {
                printProgress(out, sandbox.progress(), tty);
                if (Instant.now().isAfter(end)) {
                    break;
                }
            }
            out.println();
            out.println("Stopping the sandbox...");
            printProgress(out, sandbox.progress(), false);
            out.flush();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already in shutdown: the hook is what brought us here
            }
        }
        out.println("Sandbox stopped. Daemon state is in " + dataDir.toAbsolutePath());
        out.flush();
        return 0;
    }

    /** The terminal shows progress; only warnings and errors get through as log lines. */
    public static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLoggerList().stream().filter(l -> l.getLevel() != null && l.getLevel().toInt() < Level.WARN_INT)
                    .forEach(l -> l.setLevel(Level.WARN));
            // start-up notices a sandbox user can do nothing about: Flyway's H2 version note, camel-salesforce's DTO packages
            context.getLogger("org.flywaydb").setLevel(Level.ERROR);
            context.getLogger("org.apache.camel.component.salesforce.SalesforceComponent").setLevel(Level.ERROR);
        }
    }

    private static void printBanner(PrintWriter out, Sandbox sandbox) {
        var world = sandbox.world();
        out.println("Closedloop sandbox is running.");
        out.printf("  world:      %d companies, %d people (%d known to Salesforce), %d email campaigns, %d forms%n",
                world.companies().size(), world.people().size(), world.matched().size(), world.campaigns().size(),
                world.forms().size());
        out.println("  HubSpot    emulator: " + sandbox.hubspot().baseUrl());
        out.println("  Salesforce emulator: " + sandbox.salesforce().baseUrl());
        out.println("  status:     http://localhost:" + sandbox.httpPort() + "/");
        out.println("  health:     http://localhost:" + sandbox.httpPort() + "/observe/health");
        out.println("  metrics:    http://localhost:" + sandbox.httpPort() + "/observe/metrics");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void printProgress(PrintWriter out, Sandbox.Progress p, boolean sameLine) {
        String line = String.format("engagement generated %d | events polled %d | activities written %d | feedback sent %d"
                        + " | parked %d | sales: %d accepted, %d rejected, %d converted, %d won, %d lost, %d handed back"
                        + " | reverse SLA: %d open, %d met, %d breached | API calls: HubSpot %d, Salesforce %d",
                p.engagementGenerated(), p.eventsPolled(), p.activitiesWritten(), p.feedbackSent(), p.parked(),
                p.salesTeam().accepted(), p.salesTeam().rejected(), p.salesTeam().converted(), p.salesTeam().won(),
                p.salesTeam().lost(), p.salesTeam().recycled(), p.reverseSla().open(), p.reverseSla().met(), p.reverseSla().breached(),
                p.hubspotCalls(), p.salesforceCalls());
        if (sameLine) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }
}
