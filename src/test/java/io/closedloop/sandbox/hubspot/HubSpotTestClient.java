package io.closedloop.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/** Calls the running emulator over HTTP and compares bodies with the documented examples in src/test/resources/hubspot. */
final class HubSpotTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private String token = HubSpotEmulator.DEFAULT_TOKEN;

    HubSpotTestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HubSpotTestClient token(String newToken) {
        this.token = newToken;
        return this;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode fixture(String name) {
        try (InputStream in = HubSpotTestClient.class.getResourceAsStream("/hubspot/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String body(Map<String, ?> value) {
        return write(value);
    }

    /**
     * Every field of the documented example is present in the actual body with the same JSON type (string vs
     * number vs boolean, object, array); array items are checked against the example's first item.
     */
    static void assertSameShape(JsonNode documented, JsonNode actual) {
        assertSameShape(documented, actual, "$");
    }

    private static void assertSameShape(JsonNode documented, JsonNode actual, String at) {
        assertThat(actual).as("%s is missing", at).isNotNull();
        if (documented.isNull()) {
            return;
        }
        assertThat(actual.getNodeType()).as("JSON type of %s (actual %s)", at, actual).isEqualTo(documented.getNodeType());
        if (documented.isNumber()) {
            assertThat(actual.isIntegralNumber()).as("%s integral", at).isEqualTo(documented.isIntegralNumber());
        }
        if (documented.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = documented.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                assertSameShape(f.getValue(), actual.get(f.getKey()), at + "." + f.getKey());
            }
        } else if (documented.isArray() && documented.size() > 0 && actual.size() > 0) {
            for (JsonNode item : actual) {
                assertSameShape(documented.get(0), item, at + "[]");
            }
        }
    }

    static void assertIsoMillis(String value) {
        assertThat(value).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    }

    static void assertUuid(String value) {
        assertThat(value).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
