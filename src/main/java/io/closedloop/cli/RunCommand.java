package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.log.LogSetup;
import io.closedloop.runtime.ClosedloopRuntime;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the daemon until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Start the daemon: every flow, the state store and the ops server (/observe/health, /observe/metrics).",
                "Exits 2 with one line per problem if the configuration is invalid."})
public class RunCommand implements Callable<Integer> {
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
        new ClosedloopRuntime(settings, Clock.systemUTC()).run();
        return 0;
    }
}
