package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.Classification;
import io.closedloop.core.ClockOffset;
import io.closedloop.core.ConcurrentCalls;
import io.closedloop.core.IdlePool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Every Salesforce call goes through here, on camel-salesforce's raw operation (no generated DTOs): one place that
 * counts API calls, keeps to Closedloop's share of the org's allocation ({@link SalesforceBudget}), guards the API
 * with a circuit breaker, and turns failures into classified exceptions.
 */
public class SalesforceClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "salesforce:raw?format=JSON";

    private final ProducerTemplate template;
    private final String dataPath;
    private final AtomicLong calls = new AtomicLong();
    private final SalesforceBudget budget;
    private final ApiCircuitBreaker breaker;
    private final ClockOffset clockOffset;
    private final Clock clock;
    /** Rejected credentials: no further login or call is attempted until a restart with good ones. */
    private volatile Classification authFailure;
    /** The Composite calls of one write in flight at once ({@code SALESFORCE_CONCURRENCY}); null: one at a time. */
    private final java.util.concurrent.ThreadPoolExecutor parallel;

    public SalesforceClient(CamelContext context, ClosedloopSettings settings) {
        this(context, settings, new SalesforceBudget(Clock.systemUTC(), settings.salesforceDailyShare()),
                new ApiCircuitBreaker("salesforce", "Salesforce", Clock.systemUTC(), ApiCircuitBreaker.Settings.defaults()));
    }

    public SalesforceClient(CamelContext context, ClosedloopSettings settings, SalesforceBudget budget, ApiCircuitBreaker breaker) {
        this(context, settings, budget, breaker, Clock.systemUTC());
    }

    /** @param clock the daemon's clock, against which Salesforce's is measured */
    public SalesforceClient(CamelContext context, ClosedloopSettings settings, SalesforceBudget budget, ApiCircuitBreaker breaker,
            Clock clock) {
        this.clock = clock;
        this.budget = budget;
        this.breaker = breaker;
        this.clockOffset = new ClockOffset("salesforce", "Salesforce", settings.clockSkewLimit());
        budget.attach(breaker);
        this.template = context.createProducerTemplate();
        this.dataPath = "/services/data/v" + settings.salesforceApiVersion();
        this.parallel = settings.salesforceConcurrency() > 1 ? IdlePool.of("closedloop-salesforce", settings.salesforceConcurrency(), 30) : null;
    }

    public String dataPath() {
        return dataPath;
    }

    /** Runs a query and follows nextRecordsUrl to the last page (salesforce-api.md §2.1, §2.2). */
    public List<JsonNode> query(String soql) {
        List<JsonNode> records = new ArrayList<>();
        JsonNode page = call("GET", dataPath + "/query", soql, null);
        while (true) {
            page.path("records").forEach(records::add);
            String next = page.path("nextRecordsUrl").asText("");
            if (page.path("done").asBoolean(true) || next.isEmpty()) {
                return records;
            }
            page = call("GET", next, null, null);
        }
    }

    /**
     * Runs several queries in as few calls as possible: five per Composite request (§4), following
     * nextRecordsUrl for any result longer than one page. Results come back in the order of {@code soqls}.
     */
    public List<List<JsonNode>> queries(List<String> soqls) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < soqls.size(); from += 5) {
            List<String> chunk = soqls.subList(from, Math.min(soqls.size(), from + 5));
            com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
            root.put("allOrNone", false);
            root.put("collateSubrequests", false);
            var subrequests = root.putArray("compositeRequest");
            for (int i = 0; i < chunk.size(); i++) {
                subrequests.addObject().put("method", "GET").put("referenceId", "q" + i)
                        .put("url", dataPath + "/query/?q=" + java.net.URLEncoder.encode(chunk.get(i), StandardCharsets.UTF_8));
            }
            chunks.add(chunk);
            bodies.add(root.toString());
        }
        List<JsonNode> responses = composites(bodies);
        List<List<JsonNode>> results = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            java.util.Map<String, JsonNode> byRef = new java.util.HashMap<>();
            responses.get(c).path("compositeResponse").forEach(sub -> byRef.put(sub.path("referenceId").asText(), sub));
            for (int i = 0; i < chunks.get(c).size(); i++) {
                JsonNode sub = byRef.get("q" + i);
                if (sub == null) {
                    throw SalesforceErrorClassifier.missingSubresponse("a query").toException();
                }
                if (sub.path("httpStatusCode").asInt() != 200) {
                    throw SalesforceErrorClassifier.classify(sub.path("httpStatusCode").asInt(), sub.path("body").toString()).toException();
                }
                List<JsonNode> records = new ArrayList<>();
                JsonNode page = sub.path("body");
                while (true) {
                    page.path("records").forEach(records::add);
                    String next = page.path("nextRecordsUrl").asText("");
                    if (page.path("done").asBoolean(true) || next.isEmpty()) {
                        break;
                    }
                    page = call("GET", next, null, null);
                }
                results.add(records);
            }
        }
        return results;
    }

    /** One Composite request (§4); the caller reads every subresponse. */
    public JsonNode composite(String body) {
        return call("POST", dataPath + "/composite", null, body);
    }

    /**
     * Several Composite requests, up to {@code SALESFORCE_CONCURRENCY} of them in flight at once (Salesforce limits only
     * requests that run 20 s or longer: salesforce-app-limits-cheatsheet, "Concurrent API Request Limits"); the answers
     * come back in the order of {@code bodies}. Each call is counted and budgeted as one. When calls fail, the rest
     * still finish before the first failure in order is thrown, so nothing is in flight once this returns.
     */
    public List<JsonNode> composites(List<String> bodies) {
        if (parallel == null || bodies.size() < 2) {
            List<JsonNode> out = new ArrayList<>(bodies.size());
            bodies.forEach(b -> out.add(composite(b)));
            return out;
        }
        List<java.util.concurrent.Callable<JsonNode>> calls = bodies.stream()
                .<java.util.concurrent.Callable<JsonNode>>map(body -> () -> composite(body)).toList();
        return ConcurrentCalls.all(parallel, calls, e -> SalesforceErrorClassifier.classify(e).toException());
    }

    public JsonNode describe(String sobject) {
        return call("GET", dataPath + "/sobjects/" + sobject + "/describe", null, null);
    }

    /** API calls made so far (each composite counts one, like Salesforce's own allocation). */
    public long calls() {
        return calls.get();
    }

    public SalesforceBudget budget() {
        return budget;
    }

    /** Salesforce's clock against ours, from the Date header of every response; shown in health and metrics. */
    public ClockOffset clockOffset() {
        return clockOffset;
    }

    /** Bulk API 2.0 (§5.1): opens an upsert job by {@code externalIdField} for CSV with LF line endings. */
    public JsonNode bulkCreateUpsertJob(String sobject, String externalIdField) {
        com.fasterxml.jackson.databind.node.ObjectNode job = JSON.createObjectNode().put("object", sobject).put("operation", "upsert")
                .put("externalIdFieldName", externalIdField).put("contentType", "CSV").put("lineEnding", "LF")
                .put("columnDelimiter", "COMMA");
        return call("POST", dataPath + "/jobs/ingest", null, job.toString());
    }

    /** §5.2: the job's one CSV upload. */
    public void bulkUpload(String jobId, String csv) {
        exchange("PUT", dataPath + "/jobs/ingest/" + jobId + "/batches", null, csv, "text/csv");
    }

    /** §5.3: {@code UploadComplete} starts processing. */
    public JsonNode bulkClose(String jobId) {
        return call("PATCH", dataPath + "/jobs/ingest/" + jobId, null, "{\"state\":\"UploadComplete\"}");
    }

    /** §5.4: the job's state and counters. */
    public JsonNode bulkJob(String jobId) {
        return call("GET", dataPath + "/jobs/ingest/" + jobId, null, null);
    }

    /** §5.5: {@code successfulResults}, {@code failedResults} or {@code unprocessedrecords}, as CSV text. */
    public String bulkResults(String jobId, String kind) {
        String text = exchange("GET", dataPath + "/jobs/ingest/" + jobId + "/" + kind + "/", null, null, null).getBody(String.class);
        return text == null ? "" : text;
    }

    /**
     * The answer parsed straight from the response's stream: a query page of 2,000 records or a Composite answer of
     * 1,000 results is not first copied into a String (a copy as large as the answer, grown in steps).
     */
    private JsonNode call(String method, String path, String soql, String body) {
        try (InputStream in = exchange(method, path, soql, body, null).getBody(InputStream.class)) {
            JsonNode tree = in == null ? null : JSON.readTree(in);
            // no content (or only white space) reads as a missing node: an answer without a body
            return tree == null || tree.isMissingNode() ? JSON.createObjectNode() : tree;
        } catch (IOException e) {
            throw SalesforceErrorClassifier.classify(e).toException();
        }
    }

    /** One counted, budgeted, guarded call; the answer's message, whose body is read once by the caller. */
    private Message exchange(String method, String path, String soql, String body, String contentType) {
        Classification rejected = authFailure;
        if (rejected != null) {
            throw rejected.toException();
        }
        budget.acquire();
        long start = breaker.acquire();
        calls.incrementAndGet();
        Exchange exchange = template.request(RAW, e -> {
            e.getIn().setHeader("rawMethod", method);
            e.getIn().setHeader("rawPath", path);
            if (soql != null) {
                e.getIn().setHeader("q", soql);
                e.getIn().setHeader("rawQueryParameters", "q");
            }
            if (contentType != null) {
                // the raw operation sends JSON unless told otherwise: Bulk uploads are CSV (§5.2)
                e.getIn().setHeader("Content-Type", contentType);
                e.getIn().setHeader("rawHttpHeaders", "Content-Type");
            }
            e.getIn().setBody(body);
        });
        budget.observe(exchange.getMessage().getHeader("Sforce-Limit-Info", String.class));
        clockOffset.sample(exchange.getMessage().getHeader("Date", String.class), clock.instant());
        Exception failure = exchange.getException();
        if (failure != null) {
            Classification c = SalesforceErrorClassifier.classify(failure);
            if (SalesforceErrorClassifier.handling(c.code()) == SalesforceErrorClassifier.Handling.PAUSE_UNTIL_ALLOCATION_RECOVERS) {
                breaker.answered(start);
                throw budget.limitExceeded(c.message());
            }
            if (SalesforceErrorClassifier.isAuthFailure(c)) {
                authFailure = c;
            }
            if (c.retriable()) {
                breaker.failed(start, failure);
            } else {
                breaker.answered(start);
            }
            throw c.toException();
        }
        breaker.answered(start);
        return exchange.getMessage();
    }

}
