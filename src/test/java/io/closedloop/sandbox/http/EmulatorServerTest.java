package io.closedloop.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmulatorServerTest {
    private static final FaultRenderer RENDERER = new FaultRenderer() {
        @Override
        public EmulatorResponse serverError(int status, EmulatorRequest request) {
            return EmulatorResponse.json(status, Map.of("error", "server"));
        }

        @Override
        public EmulatorResponse rateLimited(String variant, EmulatorRequest request) {
            return EmulatorResponse.json(429, Map.of("policyName", variant));
        }

        @Override
        public EmulatorResponse notFound(EmulatorRequest request) {
            return EmulatorResponse.json(404, Map.of("error", "not found"));
        }
    };

    private EmulatorServer server;
    private final HttpClient http = HttpClient.newBuilder().build();

    @BeforeEach
    void start() throws IOException {
        server = new EmulatorServer("test", RENDERER, Clock.systemUTC(), 7)
                .route("test.items", "GET", "/items/(\\d+)", (req, path) ->
                        EmulatorResponse.json(200, Map.of("id", path.group(1), "q", String.valueOf(req.param("q")))))
                .filter((endpoint, req) -> "deny".equals(req.param("q")) ? EmulatorResponse.json(401, Map.of()) : null)
                .decorate((endpoint, req, resp) -> resp.withHeader("X-Endpoint", endpoint))
                .start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesDecodeQueryAndJournalEveryCall() throws Exception {
        HttpResponse<String> ok = get("/items/42?q=a+b%27c");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":\"42\"").contains("\"q\":\"a b'c\"");
        assertThat(ok.headers().firstValue("X-Endpoint")).contains("test.items");
        assertThat(get("/items/1?q=deny").statusCode()).isEqualTo(401);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(server.journal().count("test.items")).isEqualTo(2);
        assertThat(server.journal().counts()).containsEntry("GET test.items", 2L).containsEntry("GET test.unknown", 1L);
    }

    @Test
    void scriptedFaultsHitTheNextCallsInOrder() throws Exception {
        server.faults().script("test.*", Fault.serverError(503), Fault.rateLimit("TEN_SECONDLY_ROLLING"), null, Fault.malformedBody());
        assertThat(get("/items/1").statusCode()).isEqualTo(503);
        HttpResponse<String> limited = get("/items/1");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("TEN_SECONDLY_ROLLING");
        assertThat(get("/items/1").statusCode()).isEqualTo(200);
        HttpResponse<String> malformed = get("/items/1");
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> EmulatorResponse.JSON.readTree(malformed.body())).isInstanceOf(IOException.class);
        assertThat(get("/items/1").body()).contains("\"id\":\"1\"");
    }

    @Test
    void connectionResetAndSlowResponsesReachTheClientAsIoErrors() throws Exception {
        // the JDK client retries a GET once when the connection drops, so reset both attempts
        server.faults().script("test.items", Fault.connectionReset(), Fault.connectionReset());
        assertThatThrownBy(() -> get("/items/1")).isInstanceOf(IOException.class);
        assertThat(server.journal().calls()).hasSize(2).allSatisfy(c -> assertThat(c.status()).isZero());
        server.faults().script("test.items", Fault.slow(Duration.ofSeconds(4)));
        assertThatThrownBy(() -> get("/items/1")).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void faultRatesAreSeededAndApplyToTheirEndpointsOnly() throws Exception {
        server.faults().failRate("test.items", Fault.serverError(500), 0.5);
        int failures = 0;
        for (int i = 0; i < 40; i++) {
            if (get("/items/" + i).statusCode() == 500) {
                failures++;
            }
        }
        assertThat(failures).isBetween(10, 30);
        assertThat(get("/other").statusCode()).isEqualTo(404);
    }

    @Test
    void latencyIsAddedPerEndpoint() throws Exception {
        server.faults().latency("test.items", LatencyModel.fixed(Duration.ofMillis(300)));
        long start = System.nanoTime();
        get("/items/1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        LatencyModel tail = LatencyModel.logNormal(Duration.ofMillis(100), 0.5, 1);
        assertThat(tail.next()).isNotEqualTo(tail.next());
    }
}
