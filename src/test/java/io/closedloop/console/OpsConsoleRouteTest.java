package io.closedloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.FlowId;
import io.closedloop.sandbox.world.World;
import io.closedloop.state.ParkedRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's JSON endpoints and its access rules, over HTTP against the sandbox world. */
class OpsConsoleRouteTest {
    /** Links in HTML (href, src, action) and paths in the page's script. */
    private static final Pattern LINK = Pattern.compile("(?:href|src|action)=\"(/[^\"]*)\"|\"(/observe/[a-z/.]+)");
    private static final Pattern ANY_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    @TempDir
    Path dir;

    private ConsoleWorld sandbox;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        sandbox = new ConsoleWorld(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sandbox.port() + path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder replay(String body) {
        return at("/observe/parked/replay").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Every page, script and JSON body reachable from the status page, by path. */
    private Map<String, HttpResponse<String>> crawl(String authorization) throws Exception {
        Map<String, HttpResponse<String>> seen = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of("/", "/observe/runs?flow=" + ConsoleWorld.FLOW, "/observe/attribution",
                "/observe/parked?status=all", "/observe/parked?flow=salesforce-dispositions"));
        while (!queue.isEmpty()) {
            String path = queue.poll();
            if (seen.containsKey(path)) {
                continue;
            }
            HttpRequest.Builder request = at(path);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = send(request);
            seen.put(path, response);
            Matcher links = LINK.matcher(response.body());
            while (links.find()) {
                queue.add(links.group(1) != null ? links.group(1) : links.group(2));
            }
        }
        return seen;
    }

    private Set<String> emails() {
        Set<String> emails = new LinkedHashSet<>();
        sandbox.world.people().forEach(p -> emails.add(p.email()));
        return emails;
    }

    @Test
    void withoutTheTokenReplayParkedDetailsAndAttributionAre401AndNoBodyHoldsAnEmail() throws Exception {
        Map<String, HttpResponse<String>> pages = crawl(null);
        assertThat(pages.keySet()).contains("/", "/observe/status.js", "/observe/flows", "/observe/parked/summary", "/observe/sla",
                "/observe/health", "/observe/metrics", "/observe/login", "/observe/parked/replay");
        assertThat(pages.get("/observe/parked?status=all").statusCode()).isEqualTo(401);
        assertThat(pages.get("/observe/attribution").statusCode()).isEqualTo(401);
        assertThat(pages.get("/observe/flows").statusCode()).isEqualTo(200);
        assertThat(pages.get("/observe/parked/summary").body()).contains(ConsoleWorld.PICKLIST, "NOT_IN_HUBSPOT");
        pages.forEach((path, response) -> assertThat(response.body()).as(path).doesNotContainPattern(ANY_EMAIL)
                .doesNotContain(ConsoleWorld.TOKEN));

        assertThat(send(replay("{\"ids\":[" + sandbox.parked.id() + "]}")).statusCode()).isEqualTo(401);
        sandbox.fixTheOrg();
        assertThat(send(replay("{\"code\":\"" + ConsoleWorld.PICKLIST + "\"}")).statusCode()).isEqualTo(401);
        assertThat(sandbox.runtime.store().parked().byId(sandbox.parked.id()).orElseThrow().status()).isEqualTo(ParkedRecords.Status.PARKED);
        assertThat(sandbox.activities(sandbox.bounce)).isZero();
    }

    @Test
    void withTheTokenDetailsShowIdsAndMaskedKeysNeverEmails() throws Exception {
        Map<String, HttpResponse<String>> pages = crawl("Bearer " + ConsoleWorld.TOKEN);
        pages.forEach((path, response) -> assertThat(response.body()).as(path).doesNotContainPattern(ANY_EMAIL));
        assertThat(pages.get("/observe/attribution").statusCode()).isEqualTo(200);
        HttpResponse<String> parked = pages.get("/observe/parked?status=all");
        assertThat(parked.statusCode()).isEqualTo(200);
        JsonNode records = json.readTree(parked.body()).get("records");
        assertThat(records.findValuesAsText("id")).contains(Long.toString(sandbox.parked.id()), Long.toString(sandbox.disposition.id()));
        JsonNode bounce = json.readTree(send(at("/observe/parked?flow=" + ConsoleWorld.FLOW + "&code=" + ConsoleWorld.PICKLIST)
                .header("Authorization", "Bearer " + ConsoleWorld.TOKEN)).body()).get("records").get(0);
        assertThat(bounce.get("reason").asText()).contains("bad value for restricted picklist field: Email Bounce");
        assertThat(bounce.get("attempts").asInt()).isEqualTo(1);
        assertThat(emails()).allSatisfy(e -> assertThat(parked.body()).doesNotContain(e));
    }

    @Test
    void flowsRunsAndSlaDescribeEveryFlowFromTheStore() throws Exception {
        JsonNode flows = json.readTree(send(at("/observe/flows")).body());
        List<String> keys = new java.util.ArrayList<>();
        flows.get("flows").forEach(f -> keys.add(f.get("flow").asText()));
        assertThat(keys).containsExactlyInAnyOrderElementsOf(io.closedloop.ops.OpsView.flows().stream().map(FlowId::key).toList());
        JsonNode email = null;
        for (JsonNode f : flows.get("flows")) {
            if (f.get("flow").asText().equals(ConsoleWorld.FLOW)) {
                email = f;
            }
        }
        assertThat(email.get("lastRun").get("status").asText()).isEqualTo("succeeded");
        assertThat(email.get("lastRun").get("read").asInt()).isEqualTo(2);
        assertThat(email.get("lastRun").get("written").asInt()).isEqualTo(1);
        assertThat(email.get("lastRun").get("parked").asInt()).isEqualTo(1);
        assertThat(email.get("parked").asInt()).isEqualTo(1);
        assertThat(email.get("cursorLagSeconds").asDouble()).isPositive();
        assertThat(flows.get("apis").findValuesAsText("api")).containsExactly("hubspot", "salesforce");
        assertThat(flows.get("authorized").asBoolean()).isFalse();
        assertThat(json.readTree(send(at("/observe/runs?flow=" + ConsoleWorld.FLOW + "&limit=5")).body()).get("runs")).hasSize(1);
        JsonNode sla = json.readTree(send(at("/observe/sla")).body());
        assertThat(sla.has("open") && sla.has("dueWithinHour") && sla.has("breachedToday")).isTrue();
    }

    @Test
    void withTheTokenReplayWritesTheRecordOnceAndACrossSiteReplayIsRefused() throws Exception {
        sandbox.fixTheOrg();
        String body = "{\"flow\":\"" + ConsoleWorld.FLOW + "\",\"code\":\"" + ConsoleWorld.PICKLIST + "\"}";
        HttpResponse<String> crossSite = send(replay(body).header("Authorization", "Bearer " + ConsoleWorld.TOKEN)
                .header("Origin", "https://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(sandbox.activities(sandbox.bounce)).isZero();

        HttpResponse<String> replayed = send(replay(body).header("Authorization", "Bearer " + ConsoleWorld.TOKEN));
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        JsonNode result = json.readTree(replayed.body());
        assertThat(result.get("flows").get(0).get("resolved").asInt()).isEqualTo(1);
        assertThat(sandbox.activities(sandbox.bounce)).isEqualTo(1);
        assertThat(sandbox.runtime.store().parked().byId(sandbox.parked.id()).orElseThrow().status()).isEqualTo(ParkedRecords.Status.RESOLVED);
        // the same selection again selects nothing: nothing is written twice
        HttpResponse<String> again = send(replay(body).header("Authorization", "Bearer " + ConsoleWorld.TOKEN));
        assertThat(json.readTree(again.body()).get("selected").asInt()).isZero();
        assertThat(sandbox.activities(sandbox.bounce)).isEqualTo(1);
    }

    @Test
    void theWorldReallyHoldsEmailsForTheCrawlToFind() {
        // guards the crawl: a world without emails would make "no email in any body" trivially true
        assertThat(emails()).isNotEmpty().allSatisfy(e -> assertThat(e).containsPattern(ANY_EMAIL));
        assertThat(sandbox.disposition.recordKey()).containsPattern(ANY_EMAIL);
        World.Person any = sandbox.world.people().get(0);
        assertThat(any.email()).contains("@");
    }
}
