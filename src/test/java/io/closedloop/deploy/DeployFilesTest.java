package io.closedloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** No Docker engine runs the deploy files in the build, so their replica-relevant parts are read here. */
class DeployFilesTest {
    private static final Load YAML = new Load(LoadSettings.builder().build());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String key) {
        return (Map<String, Object>) ((Map<String, Object>) o).get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        YAML.loadAllFromString(Files.readString(file)).forEach(d -> out.add((Map<String, Object>) d));
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesExampleRunsTwoProbedReplicasWithASecretAndAnOpsService() throws IOException {
        List<Map<String, Object>> docs = documents(Path.of("docker/k8s/closedloop.yaml"));
        Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(map(deployment, "spec").get("replicas")).isEqualTo(2);
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(map(map(container, "readinessProbe"), "httpGet").get("path")).isEqualTo("/observe/health/ready");
        assertThat(map(map(container, "livenessProbe"), "httpGet").get("path")).isEqualTo("/observe/health/live");
        assertThat(((List<Map<String, Object>>) container.get("env")).stream().filter(e -> "CLOSEDLOOP_DB_URL".equals(e.get("name")))
                .findFirst().orElseThrow().get("value").toString()).startsWith("jdbc:postgresql:");
        String secretName = (String) map(((List<Map<String, Object>>) container.get("envFrom")).get(0), "secretRef").get("name");
        Map<String, Object> secret = docs.stream().filter(d -> "Secret".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(map(secret, "metadata").get("name")).isEqualTo(secretName);
        assertThat(map(secret, "stringData")).containsKeys("HUBSPOT_ACCESS_TOKEN", "CLOSEDLOOP_DB_PASSWORD");
        Map<String, Object> service = docs.stream().filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(((List<Map<String, Object>>) map(service, "spec").get("ports")).get(0).get("targetPort")).isEqualTo("ops");
        assertThat(map(map(service, "spec"), "selector")).isEqualTo(map(map(map(deployment, "spec"), "selector"), "matchLabels"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeServiceScalesWithoutAFixedNameOrHostPort() throws IOException {
        Map<String, Object> closedloop = map(map(documents(Path.of("docker/docker-compose.yml")).get(0), "services"), "closedloop");
        assertThat(closedloop).doesNotContainKey("container_name");
        List<String> ports = (List<String>) closedloop.get("ports");
        // a host port range: each of `--scale closedloop=N` replicas binds one of its own
        assertThat(ports).singleElement().asString()
                .matches("\\$\\{[A-Z_]+:-[0-9.]+}:\\$\\{[A-Z_]+:-\\d+}-\\$\\{[A-Z_]+:-\\d+}:\\$\\{CLOSEDLOOP_HTTP_PORT:-8080}");
        assertThat(map(closedloop, "environment").get("CLOSEDLOOP_DB_URL").toString()).startsWith("jdbc:postgresql:");
    }

    /**
     * The image's JVM options are the ones the README documents (the bench measures with them: docs/performance.md), and
     * they hold the heap limit and the collector the image is sized and measured with.
     */
    @Test
    void theImagesJvmOptionsAreTheOnesTheReadmeDocuments() throws IOException {
        Matcher m = Pattern.compile("JAVA_OPTS=\"([^\"]+)\"").matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertThat(m.find()).as("JAVA_OPTS in docker/Dockerfile").isTrue();
        String options = m.group(1);
        assertThat(options.split(" ")).contains("-Xmx256m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError",
                "-XX:SharedArchiveFile=/app/closedloop.jsa");
        assertThat(Files.readString(Path.of("README.md"))).contains("JAVA_OPTS=\"" + options + "\"");
    }
}
