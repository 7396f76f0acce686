package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.log.LogSetup;
import io.closedloop.runtime.CredentialCheck;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks the configuration and, where the APIs are reachable, the credentials. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check the configuration and, where reachable, the Salesforce and HubSpot credentials and the Salesforce",
                "fields Closedloop writes.",
                "Exits 0 when everything is usable, 2 with one line per problem otherwise. A host that cannot be reached",
                "is only noted, unless --strict."})
public class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--offline", description = "Check the configuration only; do not contact Salesforce or HubSpot.")
    boolean offline;

    @Option(names = "--strict", description = "Fail (exit 2) when a check cannot run: a host that cannot be reached or answers 5xx.")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClosedloopSettings settings = config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        out.println("ok: configuration" + (settings.configFile() == null ? "" : " (" + settings.configFile() + ")"));
        out.println("SQL definition: " + settings.dispositionRules().sqlDefinition());
        if (offline) {
            out.flush();
            return 0;
        }
        LogSetup.quiet(settings);
        CredentialCheck.Result result = new CredentialCheck(Clock.systemUTC()).check(settings);
        result.notes().forEach(out::println);
        out.flush();
        List<String> problems = new ArrayList<>(result.problems());
        if (strict) {
            problems.addAll(result.skipped());
        } else if (!result.skipped().isEmpty()) {
            err.println("warning: not every check ran; validate --strict fails when a check cannot run");
        }
        err.flush();
        if (!problems.isEmpty()) {
            err.println("Not ready (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
            problems.forEach(p -> err.println("  " + p));
            err.flush();
            return ConfigOption.configExit();
        }
        return 0;
    }
}
