package io.closedloop.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.ApiBudget;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.flow.replay.ParkedSelection;
import io.closedloop.log.Redactor;
import io.closedloop.ops.OpsAccess;
import io.closedloop.ops.OpsView;
import io.closedloop.ops.StateStoreAvailability;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The operator console's JSON endpoints and the status page (routes/observe-console.camel.yaml). Everything it
 * returns is ids, codes and counts: record keys and reasons go through the redaction layer, payloads never leave
 * the store. Which endpoint needs the ops token is said in the routes, by {@link OpsAccess}.
 */
public class OpsConsole {
    /** The largest page of runs or parked records one call returns. */
    static final int MAX_LIMIT = 500;

    /** What the page says the daemon is connected to: hosts only, never a credential. */
    public record Identity(String version, String hubspot, String salesforce) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final StateStore store;
    private final OpsView view;
    private final StateStoreAvailability availability;
    private final Supplier<List<ApiBudget>> budgets;
    private final Supplier<ParkedReplay> replay;
    private final OpsAccess access;
    private final Identity identity;
    private final Clock clock;

    public OpsConsole(StateStore store, OpsView view, StateStoreAvailability availability, Supplier<List<ApiBudget>> budgets,
                      Supplier<ParkedReplay> replay, OpsAccess access, Identity identity, Clock clock) {
        this.store = store;
        this.view = view;
        this.availability = availability;
        this.budgets = budgets;
        this.replay = replay;
        this.access = access;
        this.identity = identity;
        this.clock = clock;
    }

    /** GET /observe/flows: every flow's state and counts, the APIs' budgets and circuits, the store, who we are. */
    public void flows(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", identity.version());
        body.put("hubspot", identity.hubspot());
        body.put("salesforce", identity.salesforce());
        body.put("at", clock.instant().toString());
        body.put("authorized", access.authorized(exchange));
        body.put("tokenConfigured", access.tokenConfigured());
        StateStoreAvailability.Status status = availability.check();
        body.put("stateStore", status.up() ? Map.of("up", true) : Map.of("up", false, "problem", status.problem().get(),
                "since", status.since().toString()));
        List<Map<String, Object>> apis = new ArrayList<>();
        for (ApiBudget b : budgets.get()) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("api", b.api());
            api.put("used", b.limit() < 0 || b.remaining() < 0 ? null : b.limit() - b.remaining());
            api.put("limit", b.limit());
            api.put("remaining", b.remaining());
            api.put("share", b.limit() <= 0 || b.remaining() < 0 ? null : (b.limit() - b.remaining()) / (double) b.limit());
            api.put("circuit", b.circuitState());
            b.pause().ifPresent(p -> api.put("paused", Map.of("until", p.until().toString(), "reason", Redactor.redact(p.reason()))));
            apis.add(api);
        }
        body.put("apis", apis);
        if (!status.up()) {
            body.put("flows", List.of());
            respond(exchange, 503, body);
            return;
        }
        OpsView.Snapshot snapshot = view.snapshot();
        List<Map<String, Object>> flows = new ArrayList<>();
        for (OpsView.FlowStatus f : snapshot.flows()) {
            Map<String, Object> flow = new LinkedHashMap<>();
            flow.put("flow", f.flow());
            flow.put("group", f.group());
            flow.put("state", f.state());
            flow.put("reason", f.reason() == null ? null : Redactor.redact(f.reason()));
            flow.put("until", text(f.until()));
            flow.put("lastRun", f.lastRun() == null ? null : run(f.lastRun()));
            flow.put("lastSuccess", text(f.lastSuccess()));
            flow.put("last24h", counts(f.last24h()));
            flow.put("cursorLagSeconds", f.cursorLagSeconds());
            flow.put("parked", f.parked());
            flows.add(flow);
        }
        body.put("flows", flows);
        respond(exchange, 200, body);
    }

    /** GET /observe/runs?flow=&limit=: the latest runs, of one flow or of all. */
    public void runs(Exchange exchange) {
        String flow = param(exchange, "flow");
        int limit = limit(exchange, 50);
        List<SyncRuns.SyncRun> runs = flow == null ? store.runs().recent(limit) : store.runs().recent(flow, limit);
        respond(exchange, 200, Map.of("runs", runs.stream().map(OpsConsole::run).toList()));
    }

    /** GET /observe/parked/summary: parked records counted by flow and reason code; no record, so open to all. */
    public void parkedSummary(Exchange exchange) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ParkedRecords.Count c : store.parked().summary()) {
            groups.add(group(c));
        }
        respond(exchange, 200, Map.of("groups", groups));
    }

    /** GET /observe/parked?flow=&reason=&code=&status=&limit=: the records, with ids, masked keys and reasons (token). */
    public void parked(Exchange exchange) {
        ParkedSelection selection;
        ParkedRecords.Status status;
        try {
            selection = selection(exchange::getMessage, null);
            String wanted = param(exchange, "status");
            status = wanted == null ? ParkedRecords.Status.PARKED
                    : wanted.equalsIgnoreCase("all") ? null : ParkedRecords.Status.valueOf(wanted.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, Map.of("error", "bad request", "message", Redactor.redact(e.getMessage())));
            return;
        }
        int limit = limit(exchange, 100);
        List<ParkedRecords.ParkedRecord> records = store.parked().list(selection.filter(status), limit + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", records.stream().limit(limit).map(OpsConsole::record).toList());
        body.put("more", records.size() > limit);
        body.put("groups", store.parked().summary(selection.filter(status)).stream().map(OpsConsole::group).toList());
        respond(exchange, 200, body);
    }

    /**
     * POST /observe/parked/replay with a JSON body {@code {"ids":[..]}} or {@code {"flow","code","reason","since","until",
     * "limit"}}: the same selection and the same replay as the {@code replay} command (token, same origin).
     */
    public void replay(Exchange exchange) {
        ParkedSelection selection;
        try {
            // read once: the body is a stream
            String text = exchange.getMessage().getBody(String.class);
            JsonNode request = json.readTree(text == null || text.isBlank() ? "{}" : text);
            selection = selection(() -> null, request);
        } catch (IOException | IllegalArgumentException e) {
            respond(exchange, 400, Map.of("error", "bad request", "message", Redactor.redact(String.valueOf(e.getMessage()))));
            return;
        }
        if (selection.ids().isEmpty() && selection.flow() == null && selection.code() == null && selection.reason() == null) {
            respond(exchange, 400, Map.of("error", "bad request", "message", "say what to replay: ids, or a flow, a code or a reason"));
            return;
        }
        List<ParkedRecords.ParkedRecord> selected = selection.select(store.parked());
        ParkedReplay.Result result = replay.get().replay(selected);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("selected", selected.size());
        body.put("flows", result.flows().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("flow", f.flow());
            m.put("replayed", f.replayed());
            m.put("resolved", f.resolved());
            m.put("stillParked", f.stillParked());
            m.put("error", f.error());
            return m;
        }).toList());
        body.put("skipped", result.skipped().stream().map(ParkedRecords.ParkedRecord::id).toList());
        body.put("fatal", result.fatal());
        respond(exchange, 200, body);
    }

    /** GET /observe/sla: clocks open, due within the hour, breached today and ever. */
    public void sla(Exchange exchange) {
        Instant now = clock.instant();
        var counts = store.slaClocks().counts(now.plus(java.time.Duration.ofHours(1)), now.truncatedTo(java.time.temporal.ChronoUnit.DAYS));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("open", counts.open());
        body.put("dueWithinHour", counts.dueSoon());
        body.put("breachedToday", counts.breachedSince());
        body.put("breachedTotal", counts.breachedEver());
        // marketing's side: leads sales handed back, and whether marketing acted in time
        var reverse = store.reverseSlaClocks().counts();
        body.put("reverse", Map.of("open", reverse.open(), "breachedTotal", reverse.breached(), "metTotal", reverse.met()));
        // what sales sent back: counts by verdict and reason for anyone, the records themselves (ids) with the token
        Instant week = now.minus(java.time.Duration.ofDays(7));
        body.put("verdictsLast7Days", store.dispositions().verdictCounts(week).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("disposition", c.disposition());
            m.put("reason", c.reason() == null ? null : Redactor.redact(c.reason()));
            m.put("count", c.count());
            return m;
        }).toList());
        if (access.authorized(exchange)) {
            body.put("recentVerdicts", store.dispositions().recentVerdicts(week, 20).stream().map(v -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("recordId", v.sfId());
                m.put("disposition", v.disposition());
                m.put("reason", v.reason() == null ? null : Redactor.redact(v.reason()));
                m.put("decidedAt", v.decidedAt().toString());
                m.put("sentAt", v.sentAt().toString());
                return m;
            }).toList());
        }
        respond(exchange, 200, body);
    }

    /** GET / and /observe/status, and the page's script and style: static files from the jar, no build step. */
    public void page(Exchange exchange) {
        asset(exchange, "status.html", "text/html; charset=utf-8");
    }

    public void script(Exchange exchange) {
        asset(exchange, "status.js", "text/javascript; charset=utf-8");
    }

    public void style(Exchange exchange) {
        asset(exchange, "status.css", "text/css; charset=utf-8");
    }

    private void asset(Exchange exchange, String name, String type) {
        try (InputStream in = OpsConsole.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the jar");
            }
            Message m = exchange.getMessage();
            m.setHeader(Exchange.CONTENT_TYPE, type);
            m.setHeader("Cache-Control", "no-cache");
            m.setHeader("X-Content-Type-Options", "nosniff");
            m.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            m.setBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The selection from query parameters (GET) or a JSON body (POST). */
    private ParkedSelection selection(Supplier<Message> query, JsonNode body) {
        List<Long> ids = new ArrayList<>();
        if (body != null && body.has("ids")) {
            body.get("ids").forEach(id -> {
                if (!id.canConvertToLong()) {
                    throw new IllegalArgumentException("ids: expected record ids (numbers)");
                }
                ids.add(id.asLong());
            });
        }
        Message m = query.get();
        java.util.function.Function<String, String> field = name -> body != null ? (body.hasNonNull(name) ? body.get(name).asText() : null)
                : m.getHeader(name, String.class);
        String since = field.apply("since");
        String until = field.apply("until");
        String limit = field.apply("limit");
        return new ParkedSelection(ids, field.apply("flow"), field.apply("code"), field.apply("reason"),
                since == null || since.isBlank() ? null : ParkedSelection.when(since, clock),
                until == null || until.isBlank() ? null : ParkedSelection.when(until, clock),
                limit == null ? ParkedReplay.MAX_RECORDS : Integer.parseInt(limit.trim()));
    }

    private static Map<String, Object> group(ParkedRecords.Count c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", c.flow());
        m.put("kind", c.errorKind().name());
        m.put("code", c.errorCode());
        m.put("waiting", ParkedRecords.UNMATCHED.equals(c.errorCode()));
        m.put("count", c.count());
        return m;
    }

    private static Map<String, Object> record(ParkedRecords.ParkedRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("flow", r.flow());
        m.put("key", Redactor.redact(r.recordKey()));
        m.put("code", r.errorCode());
        m.put("kind", r.errorKind().name());
        m.put("reason", Redactor.redact(r.reason() == null ? "" : r.reason()).replaceAll("\\s+", " ").trim());
        m.put("attempts", r.attempts());
        m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("firstSeen", text(r.firstSeen()));
        m.put("lastSeen", text(r.lastSeen()));
        m.put("nextAttempt", text(r.nextAttempt()));
        return m;
    }

    private static Map<String, Object> run(SyncRuns.SyncRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("flow", r.routeId());
        m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("startedAt", text(r.startedAt()));
        m.put("finishedAt", text(r.finishedAt()));
        m.put("read", r.counts().read());
        m.put("written", r.counts().written());
        m.put("parked", r.counts().parked());
        m.put("hubspotCalls", r.counts().hubspotCalls());
        m.put("salesforceCalls", r.counts().salesforceCalls());
        m.put("error", r.error() == null ? null : Redactor.redact(r.error()));
        return m;
    }

    private static Map<String, Object> counts(SyncRuns.Counts c) {
        return Map.of("read", c.read(), "written", c.written(), "parked", c.parked());
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String param(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int limit(Exchange exchange, int fallback) {
        String value = param(exchange, "limit");
        try {
            return value == null ? fallback : Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void respond(Exchange exchange, int status, Object body) {
        Message m = exchange.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Cache-Control", "no-store");
        try {
            m.setBody(json.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
