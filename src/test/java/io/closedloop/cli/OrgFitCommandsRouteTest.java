package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.Closedloop;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.testsupport.Emulators;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands that fit Closedloop to an org no one configured for it, against both emulators: {@code validate} and
 * {@code run} refuse a disposition mapping naming Lead statuses the org does not have, naming each key and value and
 * listing the org's statuses, and write nothing.
 */
class OrgFitCommandsRouteTest {
    static final String MODERN_STATUSES = "its statuses are: New, Working, Nurturing, Qualified, Unqualified";

    @TempDir
    Path dir;

    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Emulators emulators;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        ConfigOption.environment = originalEnvironment;
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        emulators.close();
    }

    private int execute(Map<String, String> env, String... args) {
        ConfigOption.environment = env;
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Map<String, String> shippedMapping() {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", Path.of("config", "dispositions.properties").toAbsolutePath().toString());
        return env;
    }

    @Test
    void validateAndRunRefuseTheShippedMappingOnTheModernOrgNamingEveryUnknownStatusAndWriteNothing() {
        emulators.salesforce.org().useProfile(SalesforceOrgProfile.MODERN);

        for (String command : new String[] {"validate", "run"}) {
            int exit = execute(shippedMapping(), command);
            assertThat(exit).as(command + ": " + err).isEqualTo(2);
            assertThat(err.toString()).as(command)
                    .contains("status.working: \"Working - Contacted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.rejected: \"Closed - Not Converted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.converted: \"Closed - Converted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.none: \"Open - Not Contacted\" is not a Lead Status of this org; " + MODERN_STATUSES);
            assertThat(err.toString().lines().filter(l -> l.contains("is not a Lead Status of this org"))).as(command).hasSize(4);
        }
        assertThat(emulators.writeCalls()).isEmpty();
    }

    @Test
    void theShippedMappingPassesOnTheClassicOrg() {
        int exit = execute(shippedMapping(), "validate");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ok: disposition mapping fits the org's 4 Lead statuses")
                .contains("HubSpot has no sales_rejection_reason property yet");
        assertThat(emulators.writeCalls()).isEmpty();
    }

    @Test
    void validateWarnsOfStatusesNoKeyMapsAndExitsZero() throws Exception {
        emulators.salesforce.org().useProfile(SalesforceOrgProfile.MODERN);
        Path mapping = Files.writeString(dir.resolve("modern.properties"), String.join("\n", "status.working=Working",
                "status.rejected=Unqualified", "status.converted=Qualified", "status.none=New", ""));
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", mapping.toString());
        int exit = execute(env, "validate");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("warning: Lead Status \"Nurturing\" is in no status.* key")
                .doesNotContain("Lead Status \"Working\" is in no");
    }
}
