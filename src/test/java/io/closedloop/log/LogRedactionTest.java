package io.closedloop.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.ClosedloopSettings.LogFormat;
import io.closedloop.testsupport.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drives the real logback.xml (plain) and logback-json.xml and reads what reaches stdout: one format at a time. */
class LogRedactionTest {
    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private final PrintStream originalOut = System.out;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        LogSetup.configure(LogFormat.PLAIN);
    }

    private String capture(LogFormat format, Runnable logging) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        // console appenders bind System.out when they start
        LogSetup.configure(format);
        logging.run();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLoggerList().forEach(l -> l.iteratorForAppenders()
                .forEachRemaining(a -> {
                    if (a instanceof ConsoleAppender<?> c) {
                        c.getOutputStream();
                    }
                }));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static void logSecrets() {
        Logger log = LoggerFactory.getLogger("io.closedloop.test");
        log.info("calling HubSpot with Authorization: Bearer {} for ada@example.com", TOKEN);
        log.error("login failed", new IllegalStateException("client_secret=8A4BE6SECRET rejected for o'brien@x.com",
                new RuntimeException("assertion=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")));
    }

    @Test
    void plainLogLinesAndStackTracesAreRedacted() {
        String out = capture(LogFormat.PLAIN, LogRedactionTest::logSecrets);
        assertThat(out).contains("calling HubSpot with Authorization: Bearer ****", "IllegalStateException", "login failed");
        assertThat(out.lines()).noneMatch(l -> l.startsWith("{"));
        assertThat(out).doesNotContain(TOKEN, "ada@example.com", "8A4BE6SECRET", "o'brien@x.com", "eyJzdWIiOiJ4In0");
    }

    @Test
    void jsonLogLinesAndStackTracesAreRedacted() throws Exception {
        String out = capture(LogFormat.JSON, LogRedactionTest::logSecrets);
        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.startsWith("{"));
        ObjectMapper json = new ObjectMapper();
        assertThat(lines[0]).as(out).startsWith("{");
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.get("message").asText()).isEqualTo("calling HubSpot with Authorization: Bearer **** for [email]");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        JsonNode second = json.readTree(lines[1]);
        assertThat(second.get("stack_trace").asText()).contains("IllegalStateException", "client_secret=****");
        assertThat(out).doesNotContain(TOKEN, "ada@example.com", "8A4BE6SECRET", "o'brien@x.com", "eyJzdWIiOiJ4In0");
    }

    @Test
    void aQuietCommandLogsItsWarningsInTheConfiguredFormat(@TempDir Path dir) {
        Map<String, String> env = TestSettings.env(dir);
        env.put("LOG_FORMAT", "json");
        ClosedloopSettings settings = TestSettings.settings(dir, env);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        LogSetup.quiet(settings);
        Logger log = LoggerFactory.getLogger("io.closedloop.test");
        log.info("left out: library detail");
        log.warn("a warning for ada@example.com");
        String out = buffer.toString(StandardCharsets.UTF_8).strip();
        assertThat(out.lines()).singleElement().satisfies(line -> assertThat(new ObjectMapper().readTree(line).get("message").asText())
                .isEqualTo("a warning for [email]"));
    }

    @Test
    void javaUtilLoggingLinesGoThroughTheSameRedaction() {
        String out = capture(LogFormat.PLAIN, () -> java.util.logging.Logger.getLogger("org.example.jul")
                .warning("jul line for jürgen@müller.de with client_secret=8A4BE6SECRET"));
        assertThat(out).contains("WARN", "org.example.jul", "jul line for [email] with client_secret=****");
        assertThat(out).doesNotContain("jürgen", "8A4BE6SECRET");
    }
}
