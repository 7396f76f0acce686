package io.closedloop.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A plain java.net.http client for the emulator: logs in with client credentials and sends JSON. */
final class SalesforceTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V = "/services/data/v62.0";

    private final SalesforceEmulator emulator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String token;

    SalesforceTestClient(SalesforceEmulator emulator) {
        this.emulator = emulator;
    }

    SalesforceTestClient login() {
        HttpResponse<String> r = form("/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", "sandbox-client-id", "client_secret", "sandbox-client-secret"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.body());
        }
        token = json(r).get("access_token").asText();
        return this;
    }

    HttpResponse<String> form(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = authed(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    HttpResponse<String> query(String soql, String... headers) {
        return get(V + "/query/?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), headers);
    }

    HttpResponse<String> send(String method, String path, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return send(authed(path).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A body of another type than JSON, such as a Bulk API CSV upload. */
    HttpResponse<String> sendText(String method, String path, String contentType, String body) {
        return send(authed(path).header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder authed(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture from src/test/resources/salesforce/, with {@code {{NAME}}} placeholders filled in. */
    static String fixture(String name, Map<String, String> values) {
        try (InputStream in = SalesforceTestClient.class.getResourceAsStream("/salesforce/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("{{" + e.getKey() + "}}", e.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
