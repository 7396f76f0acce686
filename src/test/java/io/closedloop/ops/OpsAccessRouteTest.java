package io.closedloop.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.testsupport.TestSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ops port's access rules, through the real daemon: open probes, token-only details, no cross-site writes. */
class OpsAccessRouteTest {
    static final String TOKEN = "ops-token-0123456789abcdef";

    @TempDir
    Path dir;

    private ClosedloopRuntime runtime;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String token) throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        if (token != null) {
            env.put("CLOSEDLOOP_OPS_TOKEN", token);
        }
        var settings = TestSettings.settings(dir, env);
        port = settings.httpPort();
        Map<String, String> props = new LinkedHashMap<>();
        for (io.closedloop.core.FlowId flow : io.closedloop.core.FlowId.values()) {
            props.put(flow.toggle(), "false");
        }
        runtime = new ClosedloopRuntime(settings, Clock.systemUTC(), ClosedloopRuntime.ROUTES, props);
        runtime.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void healthAndMetricsStayOpenWithoutTheToken() throws Exception {
        start(TOKEN);
        assertThat(send(at("/observe/health")).statusCode()).isEqualTo(200);
        assertThat(send(at("/observe/health/ready")).statusCode()).isEqualTo(200);
        assertThat(send(at("/observe/health/live")).statusCode()).isEqualTo(200);
        assertThat(send(at("/observe/metrics")).statusCode()).isEqualTo(200);
    }

    @Test
    void attributionNeedsTheBearerToken() throws Exception {
        start(TOKEN);
        HttpResponse<String> anonymous = send(at("/observe/attribution"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"closedloop\"");
        assertThat(anonymous.body()).doesNotContain(TOKEN).doesNotContain("campaign");
        assertThat(send(at("/observe/attribution").header("Authorization", "Bearer wrong-token-0123456789")).statusCode()).isEqualTo(401);
        HttpResponse<String> allowed = send(at("/observe/attribution").header("Authorization", "Bearer " + TOKEN));
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void theLoginFormSetsAnHttpOnlyCookieThatUnlocksDetailsButNeverHoldsTheToken() throws Exception {
        start(TOKEN);
        HttpResponse<String> wrong = send(at("/observe/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=not-the-token-at-all")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> login = send(at("/observe/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)));
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(OpsAccess.COOKIE + "=").contains("HttpOnly", "SameSite=Strict").doesNotContain(TOKEN);
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(send(at("/observe/attribution").header("Cookie", pair)).statusCode()).isEqualTo(200);
        assertThat(send(at("/observe/attribution").header("Cookie", OpsAccess.COOKIE + "=forged")).statusCode()).isEqualTo(401);
    }

    @Test
    void aLoginFromAnotherSiteIsRefusedByItsOrigin() throws Exception {
        start(TOKEN);
        HttpResponse<String> crossSite = send(at("/observe/login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> sameSite = send(at("/observe/login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port).POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)));
        assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(303);
    }

    @Test
    void withoutAConfiguredTokenNothingUnlocksAttribution() throws Exception {
        start(null);
        HttpResponse<String> anonymous = send(at("/observe/attribution").header("Authorization", "Bearer "));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("CLOSEDLOOP_OPS_TOKEN");
    }

    @Test
    void theOpsServerListensOnLoopbackByDefault() throws Exception {
        start(TOKEN);
        assertThat(runtime.settings().httpHost()).isEqualTo("127.0.0.1");
        assertThat(runtime.camelContext().getPropertiesComponent().resolveProperty("camel.management.host")).hasValue("127.0.0.1");
        java.util.Optional<java.net.InetAddress> external = java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst();
        // on a machine with another interface, the port is closed there
        if (external.isPresent()) {
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.connect(new java.net.InetSocketAddress(external.get(), port), 2000)).isInstanceOf(java.io.IOException.class);
            }
        }
    }
}
