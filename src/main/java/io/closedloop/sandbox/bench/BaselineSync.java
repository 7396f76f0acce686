package io.closedloop.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.EngagementEvent;
import io.closedloop.hubspot.HubSpotEmailEventMapper;
import io.closedloop.salesforce.SalesforceActivityRecord;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.salesforce.SalesforceSoql;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The naive way a first integration is usually written, for comparison: one poll of HubSpot's email events, then for
 * each event one SOQL query for the person (Contact first, then Lead) and one upsert, each through camel-salesforce,
 * one at a time, with no batching and no cache.
 */
final class BaselineSync {
    /** What the baseline did: events read, activities written, and when it started and ended. */
    record Result(int read, int written, long startedMs, long endedMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "62.0";

    private final String hubspotUrl;
    private final String salesforceUrl;

    BaselineSync(String hubspotUrl, String salesforceUrl) {
        this.hubspotUrl = hubspotUrl;
        this.salesforceUrl = salesforceUrl;
    }

    Result run(Instant from, Instant to) throws Exception {
        long started = System.currentTimeMillis();
        List<JsonNode> events = poll(from, to);
        int written = 0;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("salesforce", component());
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            for (JsonNode raw : events) {
                Optional<EngagementEvent> mapped = HubSpotEmailEventMapper.map(raw, Map.of());
                if (mapped.isEmpty()) {
                    continue;
                }
                EngagementEvent e = mapped.get();
                SalesforceIdentityResolver.Target target = find(template, "Contact", e.email());
                if (target == null) {
                    target = find(template, "Lead", e.email());
                }
                if (target == null) {
                    continue;
                }
                Map<String, Object> fields = new LinkedHashMap<>(SalesforceActivityRecord.fields(e, target, null));
                fields.remove(SalesforceNames.EVENT_ID);
                call(template, "PATCH", "/services/data/v" + API + "/sobjects/" + SalesforceNames.MARKETING_ACTIVITY + "/"
                        + SalesforceNames.EVENT_ID + "/" + URLEncoder.encode(e.id(), StandardCharsets.UTF_8), null,
                        JSON.writeValueAsString(fields));
                written++;
            }
        }
        return new Result(events.size(), written, started, System.currentTimeMillis());
    }

    private SalesforceIdentityResolver.Target find(ProducerTemplate template, String sobject, String email) throws Exception {
        String body = call(template, "GET", "/services/data/v" + API + "/query", "SELECT Id FROM " + sobject + " WHERE Email = "
                + SalesforceSoql.literal(email) + " LIMIT 1", null);
        JsonNode records = JSON.readTree(body).path("records");
        if (records.isEmpty()) {
            return null;
        }
        return new SalesforceIdentityResolver.Target(sobject, records.get(0).path("Id").asText(), null, null, null, Map.of());
    }

    private static String call(ProducerTemplate template, String method, String path, String soql, String body) {
        Exchange exchange = template.request("salesforce:raw?format=JSON", ex -> {
            ex.getIn().setHeader("rawMethod", method);
            ex.getIn().setHeader("rawPath", path);
            if (soql != null) {
                ex.getIn().setHeader("q", soql);
                ex.getIn().setHeader("rawQueryParameters", "q");
            }
            ex.getIn().setBody(body);
        });
        if (exchange.getException() != null) {
            throw new IllegalStateException("baseline call failed: " + method + " " + path, exchange.getException());
        }
        return exchange.getMessage().getBody(String.class);
    }

    private SalesforceComponent component() {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(salesforceUrl);
        component.setClientId(SalesforceEmulator.Config.defaults().clientId());
        component.setClientSecret(SalesforceEmulator.Config.defaults().clientSecret());
        component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(API);
        component.setConfig(config);
        return component;
    }

    /** All pages of the window, as a first integration reads them. */
    private List<JsonNode> poll(Instant from, Instant to) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<JsonNode> events = new ArrayList<>();
        String offset = null;
        do {
            String url = hubspotUrl + "/email/public/v1/events?limit=1000&startTimestamp=" + from.toEpochMilli() + "&endTimestamp="
                    + to.toEpochMilli() + (offset == null ? "" : "&offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode page = JSON.readTree(response.body());
            page.path("events").forEach(events::add);
            offset = page.path("hasMore").asBoolean(false) ? page.path("offset").asText(null) : null;
        } while (offset != null);
        return events;
    }
}
