package io.closedloop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.testsupport.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/closedloop.jar sandbox} as a new user runs it, twice in the same directory. */
class SandboxIT {
    @TempDir
    Path workDir;

    private String run(String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("closedloop.jar", "target/closedloop.jar")).toAbsolutePath().toString();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-jar", jar, "sandbox"));
        command.addAll(List.of(args));
        Path out = workDir.resolve("out.txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("sandbox stopped by itself").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void sandboxRunsPrintsItsUrlsAndProgressAndCanRunAgain() throws Exception {
        int port = TestSettings.freePort();
        String first = run("--duration", "6s", "--http-port", Integer.toString(port), "--companies", "10", "--rate", "50");
        assertThat(first).contains("Closedloop sandbox is running.", "HubSpot    emulator: http://127.0.0.1:",
                "Salesforce emulator: http://127.0.0.1:", "health:     http://localhost:" + port + "/observe/health",
                "metrics:    http://localhost:" + port + "/observe/metrics", "engagement generated", "Sandbox stopped.");
        assertThat(workDir.resolve("data/sandbox/closedloop.mv.db")).exists();

        String second = run("--duration", "4s", "--http-port", Integer.toString(port), "--companies", "10");
        assertThat(second).contains("Closedloop sandbox is running.", "Sandbox stopped.");
    }
}
