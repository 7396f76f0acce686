package io.closedloop.cli;

import io.closedloop.Closedloop;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.OpsPortUnavailableException;
import io.closedloop.state.StateStoreUnavailableException;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * What picocli prints when a command cannot start or fails, routed through the redaction layer: an option value may be
 * an email, an exception may carry a URL with a password. A state store that cannot be opened, or an ops port that
 * cannot be bound, is a configuration problem.
 */
public final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(Redactor.redact(ex.getMessage()));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            cmd.usage(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof StateStoreUnavailableException || t instanceof OpsPortUnavailableException) {
                cmd.getErr().println(Redactor.redact(t.getMessage()));
                cmd.getErr().flush();
                return Closedloop.EXIT_CONFIG;
            }
        }
        // the log line and its stack trace go through logback's redaction, in the configured format
        LoggerFactory.getLogger(Closedloop.class).error("{} failed", cmd.getCommandSpec().qualifiedName(), ex);
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Installs both handlers on a command line and its subcommands. */
    public static CommandLine install(CommandLine commandLine) {
        CliErrors handlers = new CliErrors();
        return commandLine.setParameterExceptionHandler(handlers).setExecutionExceptionHandler(handlers);
    }
}
