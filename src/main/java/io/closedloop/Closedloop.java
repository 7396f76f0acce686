package io.closedloop;

import io.closedloop.cli.BackfillCommand;
import io.closedloop.cli.CliErrors;
import io.closedloop.cli.ParkedCommand;
import io.closedloop.cli.ReplayCommand;
import io.closedloop.cli.RunCommand;
import io.closedloop.cli.ValidateCommand;
import io.closedloop.cli.VersionProvider;
import io.closedloop.log.LogSetup;
import io.closedloop.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar closedloop.jar <command>}. */
@Command(name = "closedloop",
        description = "Syncs HubSpot marketing engagement into Salesforce and sales dispositions back to HubSpot.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {RunCommand.class, ValidateCommand.class, io.closedloop.cli.InitCommand.class, io.closedloop.cli.PlanCommand.class,
                ParkedCommand.class, ReplayCommand.class, BackfillCommand.class, io.closedloop.cli.ReportCommand.class, SandboxCommand.class,
                io.closedloop.sandbox.bench.BenchCommand.class, io.closedloop.sandbox.bench.BenchEmulators.class,
                CommandLine.HelpCommand.class})
public class Closedloop implements Runnable {
    /** Exit code for configuration problems. */
    public static final int EXIT_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new Closedloop()));
    }

    public static void main(String[] args) {
        LogSetup.bridgeJavaUtilLogging();
        System.exit(commandLine().execute(args));
    }
}
