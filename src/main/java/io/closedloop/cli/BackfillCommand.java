package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingsLoader;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.StartFrom;
import io.closedloop.core.SyncException;
import io.closedloop.flow.backfill.Backfill;
import io.closedloop.flow.backfill.BackfillJob;
import io.closedloop.flow.backfill.BackfillTotals;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.ClosedloopRuntime;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Brings the history a team asks for; the work is done by {@link BackfillJob}. */
@Command(name = "backfill", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Write the history of a range: HubSpot email events, form submissions and list joins",
                "into Salesforce (Bulk API 2.0 above SALESFORCE_BULK_THRESHOLD), and the sales",
                "dispositions and closed opportunities modified in it back to HubSpot, as the",
                "daemon would have; then the summary fields once. Safe next to `run` on the same",
                "store: nothing is written twice. Stopped or killed, the same command continues",
                "where it stopped. A spent API budget pauses it; it never fails on one.",
                "Exits 0 when done, 1 if an API could not be reached (run it again to continue),",
                "2 on a configuration, credential or Salesforce schema problem."})
public class BackfillCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--since", required = true, paramLabel = "START",
            description = "Where the range starts: a duration back (90d, 12h) or an ISO date-time (2026-09-01T00:00:00Z).")
    String since;

    @Option(names = "--until", paramLabel = "END", description = "Where it ends, in the same forms (default: now).")
    String until;

    @Option(names = "--flows", split = ",", paramLabel = "FLOW", defaultValue = "engagement,feedback",
            description = "engagement, feedback or both (default).")
    List<String> flows;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1d",
            description = "How much history one engagement window reads and writes (default 1d): memory follows the window, not the range.")
    String window;

    @Option(names = "--dry-run", description = "Read the range and count what would be written: nothing is written, no cursor moves.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How a pause is waited out (tests replace it). */
    static Backfill.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    static Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClosedloopSettings settings = config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        BackfillJob.Options options = options(clock.instant(), err);
        if (options == null) {
            return ConfigOption.configExit();
        }
        LogSetup.quiet(settings);
        Map<String, String> properties = new HashMap<>(ClosedloopRuntime.replayOnly());
        // its own name, so that in one JVM it never shares (and stops) the daemon's Quartz scheduler
        properties.put("camel.main.name", "closedloop-backfill");
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, clock, ClosedloopRuntime.ROUTES, properties)) {
            runtime.start();
            try (BackfillProgress progress = BackfillProgress.open(out, System.console() != null)) {
                BackfillJob job = new BackfillJob(settings, runtime.store(), clock, runtime.camelContext().getRegistry(), progress, sleeper);
                BackfillTotals totals = job.totals();
                progress.totals(totals);
                try {
                    job.run(options, totals);
                } catch (FatalSyncException e) {
                    progress.close();
                    err.println("Backfill stopped: " + Redactor.redact(e.getMessage()));
                    err.flush();
                    return ConfigOption.configExit();
                } catch (SyncException e) {
                    progress.close();
                    err.println("Backfill interrupted: " + Redactor.redact(e.getMessage())
                            + "; run the same command again to continue where it stopped");
                    err.flush();
                    return 1;
                }
                progress.close();
                out.println((dryRun ? "Dry run, nothing written: " : "Backfill done: ") + totals.summary());
                out.flush();
                return 0;
            }
        }
    }

    /** The range and parts, or null after naming the bad option. */
    BackfillJob.Options options(Instant now, PrintWriter err) {
        return options(since, until, flows, window, dryRun, now, err);
    }

    /** The backfill's options as {@code backfill} and {@code plan --backfill} read them, or null after naming the bad one. */
    static BackfillJob.Options options(String since, String until, List<String> flows, String window, boolean dryRun, Instant now,
                                       PrintWriter err) {
        StartFrom start = SettingsLoader.parseStartFrom(since);
        StartFrom end = until == null ? StartFrom.ago(Duration.ZERO) : SettingsLoader.parseStartFrom(until);
        Duration windowLength = SettingsLoader.parseDuration(window);
        Set<BackfillJob.Part> parts = EnumSet.noneOf(BackfillJob.Part.class);
        for (String f : flows) {
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "engagement" -> parts.add(BackfillJob.Part.ENGAGEMENT);
                case "feedback" -> parts.add(BackfillJob.Part.FEEDBACK);
                default -> {
                    err.println("--flows: expected engagement, feedback or both, got \"" + f + "\"");
                    err.flush();
                    return null;
                }
            }
        }
        String problem = start == null ? "--since: expected a duration back such as 90d or an ISO date-time, got \"" + since + "\""
                : end == null ? "--until: expected a duration back such as 1d or an ISO date-time, got \"" + until + "\""
                : windowLength == null || windowLength.compareTo(Duration.ofMinutes(1)) < 0
                        ? "--window: expected a duration of at least 1m such as 1d or 6h, got \"" + window + "\"" : null;
        if (problem == null && !start.from(now).isBefore(end.from(now))) {
            problem = "--since: the range is empty: " + start.from(now) + " is not before " + end.from(now);
        }
        if (problem != null) {
            err.println(problem);
            err.flush();
            return null;
        }
        String args = "since=" + since + " until=" + (until == null ? "now" : until) + " window=" + window + " parts=" + parts;
        return new BackfillJob.Options(args, start.from(now), end.from(now), parts, dryRun, windowLength);
    }
}
