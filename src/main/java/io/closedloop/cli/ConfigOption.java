package io.closedloop.cli;

import io.closedloop.Closedloop;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingsException;
import io.closedloop.config.SettingsLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config} option and settings loading shared by every command that needs settings. */
public class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: config/application.properties). Environment variables override it.")
    Path configFile;

    /** Environment used for settings; tests replace it. */
    static Map<String, String> environment = System.getenv();

    /** Loads settings, printing any warning, or prints one line per problem and returns null. */
    public ClosedloopSettings load(PrintWriter err) {
        try {
            // warnings go to stderr with the problems, never into a command's output
            return SettingsLoader.load(configFile, environment, w -> err.println("warning: " + w));
        } catch (SettingsException e) {
            err.println("Configuration is invalid (" + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + "):");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return null;
        }
    }

    /** The settings without one key of the environment (its default applies): for a command that creates that file. */
    public ClosedloopSettings loadWithout(PrintWriter err, String key) {
        Map<String, String> saved = environment;
        Map<String, String> without = new java.util.HashMap<>(saved);
        without.remove(key);
        environment = without;
        try {
            return load(err);
        } finally {
            environment = saved;
        }
    }

    public static int configExit() {
        return Closedloop.EXIT_CONFIG;
    }
}
