package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.testsupport.Emulators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code closedloop backfill} in a child JVM, killed with SIGKILL at random points and started again with the same
 * command: in the end every activity of the range is in Salesforce once and every rejection reached HubSpot once.
 */
class BackfillCrashIT {
    private static final long SEED = Long.getLong("crash.seed", 20_261_202L);
    private static final int KILLS = Integer.getInteger("crash.kills", 4);

    @TempDir
    Path dir;

    @Test
    void killedAtRandomPointsTheSameCommandFinishesWithNothingLostAndNothingTwice() throws Exception {
        Clock clock = Clock.systemUTC();
        Random random = new Random(SEED);
        try (Emulators emulators = new Emulators(dir, clock)) {
            BackfillHistory history = new BackfillHistory(emulators, clock, 60, 6);
            // each HubSpot page a little slow, so that kills land inside the windows, not only at start-up
            emulators.hubspot.faults().latency("hubspot.email.events", io.closedloop.sandbox.http.LatencyModel.fixed(java.time.Duration.ofMillis(300)));
            Map<String, String> env = emulators.env();
            env.put("SALESFORCE_BULK_THRESHOLD", "50");
            for (int kill = 1; kill <= KILLS; kill++) {
                Process p = start(env, kill);
                // a start takes seconds on a busy machine: the kills land at start-up, inside a window or between two
                Thread.sleep(6_000 + random.nextInt(14_000));
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("killed backfill is gone").isTrue();
            }
            Process last = start(env, KILLS + 1);
            assertThat(last.waitFor(150, TimeUnit.SECONDS)).as("the last run ends").isTrue();
            assertThat(last.exitValue()).as(tail(KILLS + 1)).isZero();
            assertThat(tail(KILLS + 1)).contains("Backfill done");

            assertThat(history.activityIds(emulators)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(history.expected);
            assertThat(emulators.hubspot.portal().notes()).hasSize(history.rejected.size());
        }
    }

    private Process start(Map<String, String> env, int run) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("closedloop.jar", "target/closedloop.jar")).toAbsolutePath().toString();
        // C1 only and the serial collector: a quicker start on a small shared machine
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
                "backfill", "--since", "14d").directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log(run).toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private Path log(int run) {
        return dir.resolve("backfill-" + run + ".log");
    }

    private String tail(int run) {
        try {
            List<String> lines = Files.readAllLines(log(run), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
