package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.ApiBudget;
import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.Classification;
import io.closedloop.core.ClockOffset;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.PausedSyncException;
import io.closedloop.core.SyncException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Every HubSpot call goes through here, on Camel's http component: one place that adds the token, counts calls,
 * keeps to the budget ({@link HubSpotBudget}), guards the API with a circuit breaker, and turns failures into
 * classified exceptions (HttpClient's own retries are off, so one attempt is one request).
 */
public class HubSpotClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate template;
    private final String endpoint;
    private final String authorization;
    private final AtomicLong calls = new AtomicLong();
    private final HubSpotBudget budget;
    private final ApiCircuitBreaker breaker;
    private final ClockOffset clockOffset;
    private final Clock clock;
    /** A rejected token: no further call is made until a restart with a good one. */
    private volatile Classification authFailure;

    public HubSpotClient(CamelContext context, ClosedloopSettings settings) {
        this(context, settings, new HubSpotBudget(Clock.systemUTC(), settings.hubspotBurstPer10s(), settings.hubspotDailyBudget()),
                new ApiCircuitBreaker("hubspot", "HubSpot", Clock.systemUTC(), ApiCircuitBreaker.Settings.defaults()));
    }

    public HubSpotClient(CamelContext context, ClosedloopSettings settings, HubSpotBudget budget, ApiCircuitBreaker breaker) {
        this(context, settings, budget, breaker, Clock.systemUTC());
    }

    /** @param clock the daemon's clock, against which HubSpot's is measured */
    public HubSpotClient(CamelContext context, ClosedloopSettings settings, HubSpotBudget budget, ApiCircuitBreaker breaker, Clock clock) {
        this.budget = budget;
        this.breaker = breaker;
        this.clock = clock;
        this.clockOffset = new ClockOffset("hubspot", "HubSpot", settings.clockSkewLimit());
        budget.attach(breaker);
        this.template = context.createProducerTemplate();
        // one endpoint for every call; the path and query travel in headers
        this.endpoint = settings.hubspotBaseUrl() + "?throwExceptionOnFailure=false&connectTimeout=10000&responseTimeout=30000";
        this.authorization = "Bearer " + settings.hubspotAccessToken().reveal();
    }

    /** A response whose status was 2xx (207 included: the caller reads its per-item results). */
    public record Response(int status, JsonNode body) {
    }

    public Response get(String path, Map<String, String> query) {
        return call("GET", path, query, null, null);
    }

    /** A GET whose answer keeps, of each item of its array, only the fields {@code keep} names ({@link HubSpotPageFields}). */
    Response get(String path, Map<String, String> query, HubSpotPageFields keep) {
        return call("GET", path, query, null, keep);
    }

    public Response post(String path, Object body) {
        return call("POST", path, Map.of(), body, null);
    }

    public Response patch(String path, Object body) {
        return call("PATCH", path, Map.of(), body, null);
    }

    /** Calls made so far, for sync runs and budgets. */
    public long calls() {
        return calls.get();
    }

    public HubSpotBudget budget() {
        return budget;
    }

    /** HubSpot's clock against ours, from the Date header of every response. */
    public ClockOffset clockOffset() {
        return clockOffset;
    }

    /**
     * Pauses a time-windowed source while HubSpot's clock is too far from ours; a source's cheap probe call measures
     * again first, so a corrected clock resumes it at the next poll.
     */
    public void guardClock(Instant now, String probePath, Map<String, String> probeQuery) {
        if (clockOffset.exceeded()) {
            get(probePath, probeQuery);
        }
        clockOffset.guard(now);
    }

    private Response call(String method, String path, Map<String, String> query, Object body, HubSpotPageFields keep) {
        Classification rejected = authFailure;
        if (rejected != null) {
            throw rejected.toException();
        }
        budget.acquire(path.endsWith("/search"));
        long start = breaker.acquire();
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
            breaker.failed(start, io);
            throw HubSpotErrorClassifier.classify(io).toException();
        }
        Message response = exchange.getMessage();
        clockOffset.sample(response.getHeader("Date", String.class), clock.instant());
        budget.observe(name -> response.getHeader(name, String.class));
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status < 200 || status > 299) {
            String text = response.getBody(String.class);
            String retryAfter = response.getHeader("Retry-After", String.class);
            Classification c = HubSpotErrorClassifier.classify(status, text, retryAfter);
            SyncException error = c.toException();
            if (status >= 500) {
                breaker.failed(start, error);
            } else {
                breaker.answered(start);
            }
            if (c.kind() == ErrorKind.FATAL && (status == 401 || status == 403)) {
                authFailure = c;
            }
            budget.failed(status, c, retryAfter != null);
            // a limit that pauses HubSpot (DAILY) ends the poll instead of being redelivered
            if (status == 429 && budget.pause().isPresent()) {
                ApiBudget.Pause p = budget.pause().get();
                throw new PausedSyncException("hubspot", c.code(), c.message() + "; HubSpot calls paused until " + p.until(), p.until());
            }
            throw error;
        }
        // parsed straight from the response's stream: a page of 1,000 events is not first copied into a String
        try (InputStream in = response.getBody(InputStream.class)) {
            JsonNode tree = in == null ? null : keep == null ? JSON.readTree(in) : keep.read(JSON, in);
            // no content (or only white space) reads as a missing node: an answer without a body
            Response parsed = new Response(status, tree == null || tree.isMissingNode() ? JSON.createObjectNode() : tree);
            breaker.answered(start);
            return parsed;
        } catch (IOException e) {
            breaker.failed(start, e);
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
