package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.sync.Classification;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Every HubSpot call goes through here, on Camel's http component: one place that adds the token,
 * counts calls, and turns failures into classified exceptions (HttpClient's own retries are off).
 */
public class HubSpotClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate template;
    private final String endpoint;
    private final String authorization;
    private final AtomicLong calls = new AtomicLong();

    public HubSpotClient(CamelContext context, ClosedloopSettings settings) {
        this.template = context.createProducerTemplate();
        // one endpoint for every call; the path and query travel in headers
        this.endpoint = settings.hubspotBaseUrl() + "?throwExceptionOnFailure=false&connectTimeout=10000&responseTimeout=30000";
        this.authorization = "Bearer " + settings.hubspotAccessToken().reveal();
    }

    /** A response whose status was 2xx (207 included: the caller reads its per-item results). */
    public record Response(int status, JsonNode body) {
    }

    public Response get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    public Response post(String path, Object body) {
        return call("POST", path, Map.of(), body);
    }

    public Response patch(String path, Object body) {
        return call("PATCH", path, Map.of(), body);
    }

    /** Calls made so far, for sync runs and budgets. */
    public long calls() {
        return calls.get();
    }

    private Response call(String method, String path, Map<String, String> query, Object body) {
        calls.incrementAndGet();
        Exchange exchange = template.request(endpoint, e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, method);
            e.getIn().setHeader(Exchange.HTTP_PATH, path);
            e.getIn().setHeader(Exchange.HTTP_QUERY, encode(query));
            e.getIn().setHeader("Authorization", authorization);
            e.getIn().setHeader("Accept", "application/json");
            if (body != null) {
                e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
                e.getIn().setBody(body instanceof String s ? s : JSON.writeValueAsString(body));
            }
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            IOException io = failure instanceof IOException ioe ? ioe : new IOException(failure.getClass().getSimpleName(), failure);
            throw HubSpotErrorClassifier.classify(io).toException();
        }
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        if (status < 200 || status > 299) {
            Classification c = HubSpotErrorClassifier.classify(status, text, exchange.getMessage().getHeader("Retry-After", String.class));
            throw c.toException();
        }
        try {
            return new Response(status, text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw HubSpotErrorClassifier.classify(e).toException();
        }
    }

    static String encode(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        return new LinkedHashMap<>(query).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
