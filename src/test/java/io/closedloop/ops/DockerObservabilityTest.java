package io.closedloop.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.FlowId;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.testsupport.TestSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker/: the compose file publishes the ops port on 127.0.0.1 with the same number inside and out and passes
 * secrets as files; the Prometheus alerts and the Grafana dashboard parse, and every metric they use is on
 * /observe/metrics of a freshly started daemon, before anything has happened.
 */
class DockerObservabilityTest {
    private static final Path DOCKER = Path.of("docker");
    private static final Pattern METRIC = Pattern.compile("\\b(closedloop_[a-z0-9_]+)\\b");

    private static ClosedloopRuntime runtime;
    private static String metrics;

    @BeforeAll
    static void scrapeAFreshDaemon(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var settings = TestSettings.settings(dir, TestSettings.env(dir));
        Map<String, String> props = new LinkedHashMap<>();
        for (FlowId flow : FlowId.values()) {
            props.put(flow.toggle(), "false");
        }
        runtime = new ClosedloopRuntime(settings, Clock.systemUTC(), ClosedloopRuntime.ROUTES, props);
        runtime.start();
        metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.httpPort()
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    /** The metric families a scrape holds: each sample line's name, as Prometheus parses it. */
    private static Set<String> scraped() {
        Set<String> names = new TreeSet<>();
        metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertParsesAndUsesOnlyMetricsTheDaemonServes() throws Exception {
        Map<String, Object> alerts = yaml(DOCKER.resolve("prometheus/alerts.yml"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((List<Map<String, Object>>) alerts.get("groups")).get(0).get("rules");
        assertThat(rules).extracting(r -> r.get("alert")).contains("ClosedloopFlowStopped", "ClosedloopNoRecentSuccess",
                "ClosedloopParkedGrowing", "ClosedloopApiBudgetAbove80Percent", "ClosedloopSlaBreaches");
        Set<String> used = new TreeSet<>();
        rules.forEach(r -> used.addAll(metricsIn(String.valueOf(r.get("expr")))));
        assertThat(used).isNotEmpty();
        assertThat(scraped()).containsAll(used);
        Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
        assertThat(prometheus.get("rule_files")).asList().containsExactly("/etc/prometheus/alerts.yml");
        assertThat(String.valueOf(prometheus.get("scrape_configs"))).contains("/observe/metrics");
    }

    @Test
    void theDashboardParsesAndUsesOnlyMetricsTheDaemonServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/closedloop.json").toFile());
        assertThat(dashboard.get("uid").asText()).isEqualTo("closedloop");
        Set<String> used = new TreeSet<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> used.addAll(metricsIn(t.get("expr").asText()))));
        assertThat(used).contains("closedloop_parked_records", "closedloop_cursor_lag_seconds", "closedloop_api_budget_used_ratio",
                "closedloop_sla_open", "closedloop_last_success_timestamp_seconds");
        assertThat(scraped()).containsAll(used);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composePublishesTheOpsPortOnLoopbackAndPassesSecretsAsFiles() throws Exception {
        Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> daemon = (Map<String, Object>) services.get("closedloop");
        assertThat((List<String>) daemon.get("ports")).containsExactly(
                // a host port range, so that `--scale closedloop=2` gives each replica one (README, Running replicas)
                "${CLOSEDLOOP_PUBLISH_HOST:-127.0.0.1}:${CLOSEDLOOP_HTTP_PORT:-8080}-${CLOSEDLOOP_HTTP_PORT_LAST:-8089}:${CLOSEDLOOP_HTTP_PORT:-8080}");
        Map<String, Object> env = (Map<String, Object>) daemon.get("environment");
        assertThat(env.get("CLOSEDLOOP_HTTP_PORT")).isEqualTo("${CLOSEDLOOP_HTTP_PORT:-8080}");
        assertThat(env).containsKeys("HUBSPOT_ACCESS_TOKEN_FILE", "SALESFORCE_CLIENT_SECRET_FILE", "CLOSEDLOOP_DB_PASSWORD_FILE",
                "CLOSEDLOOP_OPS_TOKEN_FILE").doesNotContainKeys("HUBSPOT_ACCESS_TOKEN", "CLOSEDLOOP_DB_PASSWORD");
        Map<String, Object> secrets = (Map<String, Object>) compose.get("secrets");
        assertThat((List<String>) daemon.get("secrets")).allSatisfy(s -> assertThat(secrets).containsKey(s));
        for (String service : List.of("prometheus", "grafana")) {
            Map<String, Object> s = (Map<String, Object>) services.get(service);
            assertThat((List<String>) s.get("profiles")).containsExactly("observability");
            assertThat((List<String>) s.get("ports")).allSatisfy(p -> assertThat(p).startsWith("${CLOSEDLOOP_PUBLISH_HOST:-127.0.0.1}:"));
            for (String volume : (List<String>) s.get("volumes")) {
                if (volume.startsWith("./")) {
                    assertThat(DOCKER.resolve(volume.substring(2, volume.indexOf(':')))).as(volume).exists();
                }
            }
        }
        assertThat(Files.readString(DOCKER.resolve("Dockerfile"))).contains("CLOSEDLOOP_HTTP_HOST=0.0.0.0");
        assertThat(Files.readString(Path.of(".dockerignore"))).contains("docker/secrets/", "target/", ".git");
        assertThat(Files.readString(DOCKER.resolve(".env.example")).lines().filter(l -> !l.startsWith("#")))
                .noneMatch(l -> l.startsWith("HUBSPOT_ACCESS_TOKEN=") || l.startsWith("SALESFORCE_CLIENT_SECRET=")
                        || l.startsWith("CLOSEDLOOP_DB_PASSWORD="));
    }
}
