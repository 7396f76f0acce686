package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.state.StateStore;
import io.closedloop.testsupport.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2 stays single-node: a second daemon process on the same H2 file stops at once with a sentence, not H2's trace. */
class SecondDaemonOnH2Test {
    @TempDir
    Path dir;

    @Test
    void secondDaemonOnTheSameH2FileExitsTwoAndPointsToPostgreSql() throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        // this JVM holds the H2 file as a running daemon would
        try (StateStore first = StateStore.open(env.get("CLOSEDLOOP_DB_URL"), "sa", "", Clock.systemUTC())) {
            assertThat(first.cursors().get("any")).isEmpty();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.closedloop.Closedloop", "run"))
                    .directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process second = pb.start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second daemon stopped by itself").isTrue();
            String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).as(err).isEqualTo(2);
            assertThat(err).contains("CLOSEDLOOP_DB_URL: another process (a second daemon?) already has this H2 state store open")
                    .contains("PostgreSQL").doesNotContain("at org.h2").doesNotContain("Exception");
        }
    }
}
