package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.Closedloop;
import io.closedloop.testsupport.TestSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the commands print when they cannot start: one redacted line, never a raw stack trace. */
class CliErrorsTest {
    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restore() {
        ConfigOption.environment = originalEnvironment;
        // the commands quieten logging for their own output; later tests get the shipped configuration back
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
    }

    private int execute(String... args) {
        // the command line main builds: only the named subcommand
        CommandLine cli = Closedloop.commandLineFor(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-na1-11111111-2222-3333-4444-555555555555");
        env.put("SALESFORCE_CLIENT_ID", "3MVG9consumerkey");
        env.put("SALESFORCE_CLIENT_SECRET", "8A4BE6secretvalue");
        return env;
    }

    @Test
    void mainBuildsOnlyTheNamedCommandWithTheSameUsageAndEveryCommandForHelpOrAMisspeltName() {
        List<String> all = List.of("run", "validate", "init", "plan", "parked", "replay", "backfill", "report", "sandbox", "bench",
                "bench-emulators", "help");
        assertThat(Closedloop.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(all);
        assertThat(Closedloop.commandLineFor(new String[] {"run", "--config", "x"}).getSubcommands().keySet()).containsExactly("run");
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "run"}, new String[] {"rnu"})) {
            assertThat(Closedloop.commandLineFor(args).getSubcommands().keySet()).as(String.join(" ", args)).containsExactlyElementsOf(all);
        }
        for (String name : all) {
            assertThat(Closedloop.commandLineFor(new String[] {name}).getSubcommands().get(name).getUsageMessage()).as(name)
                    .isEqualTo(Closedloop.commandLine().getSubcommands().get(name).getUsageMessage())
                    .contains("closedloop " + name);
        }
        assertThat(execute("rnu")).isEqualTo(2);
        // the usage that follows lists every command
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'rnu'", "  run ", "  sandbox ");
    }

    @Test
    void benchRefusesASetOfAnUnknownSettingOrOneItSetsItselfBeforeStartingAnything() {
        assertThat(execute("bench", "--set", "SALESFORCE_CONCURENCY=8")).isEqualTo(2);
        assertThat(err.toString()).contains("--set SALESFORCE_CONCURENCY: not a setting");
        assertThat(execute("bench", "--set", "HUBSPOT_BASE_URL=https://api.hubapi.com")).isEqualTo(2);
        assertThat(err.toString()).contains("--set HUBSPOT_BASE_URL: the bench sets it itself");
    }

    @Test
    void benchOnAStoreOfTheUsersRefusesOneThatHoldsTablesOrCannotBeReachedWithoutPrintingItsPassword(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String used = "jdbc:h2:file:" + dir.resolve("used");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(used, "sa", "")) {
            c.createStatement().execute("CREATE TABLE someone_elses (id INT)");
        }
        assertThat(execute("bench", "--set", "CLOSEDLOOP_DB_URL=" + used)).isEqualTo(2);
        assertThat(err.toString()).contains("--set CLOSEDLOOP_DB_URL: the bench needs an empty database, and this one has 1 table");

        // nothing listens on port 1: the failure names the key and the SQLState, not the user or the password
        assertThat(execute("bench", "--set", "CLOSEDLOOP_DB_URL=jdbc:postgresql://127.0.0.1:1/bench?connectTimeout=2",
                "--set", "CLOSEDLOOP_DB_USER=bench-user", "--set", "CLOSEDLOOP_DB_PASSWORD=s3cr3t-pw")).isEqualTo(2);
        assertThat(err.toString()).contains("--set CLOSEDLOOP_DB_URL: cannot connect to the store (SQLState 08001)")
                .doesNotContain("s3cr3t-pw", "bench-user");

        assertThat(execute("bench", "--set", "CLOSEDLOOP_DB_URL=jdbc:mysql://db/x")).isEqualTo(2);
        assertThat(err.toString()).contains("--set CLOSEDLOOP_DB_URL: expected a jdbc:h2: or jdbc:postgresql: URL");
    }

    @Test
    void aBadOptionValueIsReportedWithTheEmailInItMasked() {
        int exit = execute("parked", "--since", "jürgen@müller.de");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--since", "[email]").doesNotContain("jürgen", "müller");
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingTheKeyWithoutItsPassword() {
        Map<String, String> env = validEnv();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:postgresql://closedloop:s3cr3t-pw@127.0.0.1:" + TestSettings.freePort() + "/closedloop");
        ConfigOption.environment = env;
        int exit = execute("parked");
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("CLOSEDLOOP_DB_URL: cannot open the state store").doesNotContain("\n", "s3cr3t-pw", "\tat ");
    }

    @Test
    void aMalformedDatabaseUrlIsOneLineNamingTheKey() {
        Map<String, String> env = validEnv();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:h2:file:./target/malformed;NO_SUCH_SETTING=1");
        ConfigOption.environment = env;
        int exit = execute("replay", "--dry-run");
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("CLOSEDLOOP_DB_URL: cannot open the state store").doesNotContain("\n", "\tat ");
    }

    @Test
    void runExits2NamingTheHttpPortWhenTheOpsPortIsTaken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Map<String, String> env = validEnv();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:h2:file:" + dir.resolve("state"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            ConfigOption.environment = env;
            int exit = execute("run");
            assertThat(exit).as(err.toString()).isEqualTo(2);
            assertThat(err.toString().strip()).startsWith("CLOSEDLOOP_HTTP_PORT: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
        // nothing started: the state store was not even created
        assertThat(dir.resolve("state.mv.db")).doesNotExist();
    }

    @Test
    void aDurationAgoLongerThanTheClockReachesMeansFromTheStart() {
        assertThat(new ParkedSelectionOptions.WhenConverter().convert("99999999999999d")).isEqualTo(java.time.Instant.EPOCH);
        assertThat(new ParkedSelectionOptions.WhenConverter().convert("2h")).isBefore(java.time.Instant.now());
    }
}
