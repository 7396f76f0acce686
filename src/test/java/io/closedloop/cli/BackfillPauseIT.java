package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.Closedloop;
import io.closedloop.state.MutableClock;
import io.closedloop.testsupport.Emulators;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the org's Salesforce allocation nearly spent, the backfill pauses at its share and resumes when it recovers. */
class BackfillPauseIT {
    @TempDir
    Path dir;

    private final Map<String, String> originalEnvironment = ConfigOption.environment;

    @AfterEach
    void restore() {
        ConfigOption.environment = originalEnvironment;
        BackfillCommand.sleeper = d -> Thread.sleep(d.toMillis());
        BackfillCommand.clock = Clock.systemUTC();
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
    }

    @Test
    void atItsShareTheBackfillPausesUntilTheAllocationRecoversThenFinishesEverything() throws Exception {
        // late in a UTC day, so the org's daily allocation comes back a few pauses later
        MutableClock clock = new MutableClock(Instant.parse("2026-11-20T22:00:00Z"));
        try (Emulators emulators = new Emulators(dir, clock, c -> c.withDailyApiLimit(120), UnaryOperator.identity())) {
            BackfillHistory history = new BackfillHistory(emulators, clock, 60, 2);
            Map<String, String> env = emulators.env();
            env.put("SALESFORCE_BULK_THRESHOLD", "50");
            ConfigOption.environment = env;
            BackfillCommand.clock = clock;
            // a pause is waited out on the test's clock, which the emulators share
            BackfillCommand.sleeper = clock::advance;

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var cli = Closedloop.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute("backfill", "--since", "14d", "--flows", "engagement")).as(err.toString()).isZero();

            assertThat(out.toString()).contains("backfill: paused until", "Salesforce daily API share spent", "Backfill done")
                    .containsPattern("pauses [1-9]");
            assertThat(history.activityIds(emulators)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(history.expected);
        }
    }
}
