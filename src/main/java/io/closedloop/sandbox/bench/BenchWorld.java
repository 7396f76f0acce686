package io.closedloop.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The parent's handle on {@link BenchEmulators}: starts the JVM, sends one command a line, reads one JSON answer a line. */
final class BenchWorld implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final JsonNode ready;

    private BenchWorld(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.ready = readAnswer();
    }

    /** Starts the emulators' JVM from this JVM's own class path; its log lines go to {@code log}. */
    static BenchWorld start(int people, long rttMs, String heap, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.closedloop.Closedloop");
        cmd.add("bench-emulators");
        cmd.add("--people=" + people);
        cmd.add("--rtt-ms=" + rttMs);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        return new BenchWorld(p);
    }

    JsonNode ready() {
        return ready;
    }

    synchronized JsonNode send(String command) throws IOException {
        commands.println(command);
        return readAnswer();
    }

    private JsonNode readAnswer() throws IOException {
        // the emulators may log a line to stdout before answering: answers are the lines that are JSON objects
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            if (line.startsWith("{")) {
                return JSON.readTree(line);
            }
        }
        throw new IOException("the benchmark emulators stopped (exit " + exitCode() + ")");
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
