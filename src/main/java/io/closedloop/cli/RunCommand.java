package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.log.LogSetup;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.runtime.DispositionMappingStartup;
import java.io.PrintWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the daemon until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Start the daemon: every flow, the state store and the ops server (/observe/health, /observe/metrics).",
                "Exits 2 with one line per problem if the configuration is invalid or the disposition mapping names",
                "Lead statuses the Salesforce org does not have."})
public class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClosedloopSettings settings = config.load(spec.commandLine().getErr());
        if (settings == null) {
            return ConfigOption.configExit();
        }
        LogSetup.apply(settings);
        // a mapping that names statuses the org does not have would drop feedback silently: no route may start before
        // this check passes. It reads the org (login, describes, HubSpot options) while the store opens and Camel is
        // configured, and the runtime joins it before the first route starts.
        CompletableFuture<List<String>> orgFit = new CompletableFuture<>();
        Thread check = new Thread(() -> {
            try {
                DispositionMappingStartup.check(settings, w -> LOG.warn("disposition mapping: {}", w), orgFit::complete);
            } catch (RuntimeException | Error e) {
                orgFit.completeExceptionally(e);
            }
        }, "closedloop-org-fit");
        check.setDaemon(true);
        check.start();
        ClosedloopRuntime runtime = new ClosedloopRuntime(settings, Clock.systemUTC());
        runtime.refuseStartOn(orgFit::join);
        try {
            runtime.run();
        } catch (Exception e) {
            ClosedloopRuntime.StartRefused refused = refusal(e);
            if (refused == null) {
                throw e;
            }
            PrintWriter err = spec.commandLine().getErr();
            List<String> problems = refused.problems();
            err.println("Disposition mapping does not fit the Salesforce org (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):");
            problems.forEach(p -> err.println("  " + p));
            err.flush();
            return ConfigOption.configExit();
        }
        return 0;
    }

    /** The refusal behind an exception Camel may have wrapped, or null. */
    private static ClosedloopRuntime.StartRefused refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClosedloopRuntime.StartRefused refused) {
                return refused;
            }
        }
        return null;
    }
}
