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
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar closedloop.jar <command>}. */
@Command(name = "closedloop",
        description = "Syncs HubSpot marketing engagement into Salesforce and sales dispositions back to HubSpot.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class)
public class Closedloop implements Runnable {
    /** Every subcommand, in the order the usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(RunCommand.class, ValidateCommand.class, io.closedloop.cli.InitCommand.class,
            io.closedloop.cli.PlanCommand.class, ParkedCommand.class, ReplayCommand.class, BackfillCommand.class,
            io.closedloop.cli.ReportCommand.class, SandboxCommand.class, io.closedloop.sandbox.bench.BenchCommand.class,
            io.closedloop.sandbox.bench.BenchEmulators.class, CommandLine.HelpCommand.class);

    /** Exit code for configuration problems. */
    public static final int EXIT_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * The command line for these arguments: only the subcommand they name when they name one, every subcommand
     * otherwise (no arguments, {@code --help}, {@code help}, a misspelt name). picocli reads the whole model of each
     * subcommand it holds, so {@code run} need not pay for the other ten at every start.
     */
    public static CommandLine commandLineFor(String[] args) {
        String first = args.length == 0 ? null : args[0];
        // help names another command: it needs them all
        return commandLine(COMMANDS.stream().filter(c -> c != CommandLine.HelpCommand.class)
                .filter(c -> c.getAnnotation(Command.class).name().equals(first)).findFirst()
                .<List<Class<?>>>map(List::of).orElse(COMMANDS));
    }

    private static CommandLine commandLine(List<Class<?>> commands) {
        CommandLine cli = new CommandLine(new Closedloop());
        commands.forEach(cli::addSubcommand);
        // after the subcommands: picocli hands its handlers only to the subcommands it already holds
        return CliErrors.install(cli);
    }

    public static void main(String[] args) {
        LogSetup.bridgeJavaUtilLogging();
        System.exit(commandLineFor(args).execute(args));
    }
}
