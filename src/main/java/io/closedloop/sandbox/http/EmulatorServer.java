package io.closedloop.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for one emulated API, on the JDK's built-in server. Every call goes:
 * route match, latency, injected fault, filters (auth, limits), handler, decorators (limit headers),
 * then into the call journal.
 */
public final class EmulatorServer implements AutoCloseable {
    /** Adds headers to every normal answer (e.g. rate-limit headers). */
    @FunctionalInterface
    public interface Decorator {
        EmulatorResponse after(String endpoint, EmulatorRequest request, EmulatorResponse response);
    }

    private record Route(String endpoint, String method, Pattern path, EmulatorHandler handler) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorServer.class);

    private final String system;
    private final FaultRenderer renderer;
    private final CallJournal journal = new CallJournal();
    private final FaultPlan faults;
    private final Clock clock;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<EmulatorFilter> filters = new CopyOnWriteArrayList<>();
    private final List<Decorator> decorators = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;
    private DateHeaderRelay relay;

    public EmulatorServer(String system, FaultRenderer renderer, Clock clock, long seed) {
        this.system = system;
        this.renderer = renderer;
        this.clock = clock;
        this.faults = new FaultPlan(seed);
    }

    /** Registers an endpoint; {@code pathRegex} must match the whole path. */
    public EmulatorServer route(String endpoint, String method, String pathRegex, EmulatorHandler handler) {
        routes.add(new Route(endpoint, method, Pattern.compile(pathRegex), handler));
        return this;
    }

    public EmulatorServer filter(EmulatorFilter filter) {
        filters.add(filter);
        return this;
    }

    public EmulatorServer decorate(Decorator decorator) {
        decorators.add(decorator);
        return this;
    }

    /** Starts on the port (0 picks a free one) of the loopback interface. */
    public EmulatorServer start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, system + "-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
        // callers reach the server through the relay, so the Date header follows the emulator's clock (RFC 9110 §6.6.1)
        relay = new DateHeaderRelay(clock, server.getAddress().getPort()).start(port);
        return this;
    }

    public int port() {
        return relay.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public CallJournal journal() {
        return journal;
    }

    public FaultPlan faults() {
        return faults;
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        EmulatorRequest request = read(exchange);
        Route route = null;
        Matcher matcher = null;
        for (Route r : routes) {
            Matcher m = r.path().matcher(request.path());
            if (r.method().equals(request.method()) && m.matches()) {
                route = r;
                matcher = m;
                break;
            }
        }
        String endpoint = route == null ? system + ".unknown" : route.endpoint();
        journal.enter(endpoint);
        try {
            dispatch(exchange, request, route, matcher, endpoint);
        } finally {
            journal.leave(endpoint);
        }
    }

    private void dispatch(HttpExchange exchange, EmulatorRequest request, Route route, Matcher matcher, String endpoint) throws IOException {
        Instant began = clock.instant();
        EmulatorResponse response;
        try {
            sleep(faults.latencyFor(endpoint).next());
            Fault fault = route == null ? null : faults.next(endpoint);
            if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
                journal.record(new CallJournal.Call(endpoint, request.method(), request.path(), request.rawQuery(), 0, clock.instant(),
                        CallJournal.caller(request), began));
                exchange.close();
                return;
            }
            if (fault != null && fault.kind() == Fault.Kind.SERVER_ERROR) {
                response = renderer.serverError(fault.status(), request);
            } else if (fault != null && fault.kind() == Fault.Kind.RATE_LIMIT) {
                response = renderer.rateLimited(fault.variant(), request);
                if (!fault.delay().isZero()) {
                    // a rate limit with a delay tells the client how long to stay away
                    response = response.withHeader("Retry-After", Long.toString(fault.delay().toSeconds()));
                }
            } else {
                if (fault != null && fault.kind() == Fault.Kind.SLOW) {
                    sleep(fault.delay());
                }
                response = route == null ? renderer.notFound(request) : handle(route, endpoint, request, matcher);
                if (fault != null && fault.kind() == Fault.Kind.MALFORMED_BODY) {
                    String body = response.body();
                    response = response.withBody(body.substring(0, body.length() / 2));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{} emulator failed on {} {}", system, request.method(), request.path(), e);
            response = renderer.serverError(500, request);
        }
        journal.record(new CallJournal.Call(endpoint, request.method(), request.path(), request.rawQuery(), response.status(), clock.instant(),
                CallJournal.caller(request), began));
        write(exchange, response);
    }

    private EmulatorResponse handle(Route route, String endpoint, EmulatorRequest request, Matcher matcher) {
        for (EmulatorFilter f : filters) {
            EmulatorResponse early = f.before(endpoint, request);
            if (early != null) {
                return early;
            }
        }
        EmulatorResponse response;
        try {
            response = route.handler().handle(request, matcher);
        } catch (EmulatorException e) {
            response = e.response();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (Decorator d : decorators) {
            response = d.after(endpoint, request, response);
        }
        return response;
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EmulatorRequest read(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        return new EmulatorRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), rawQuery,
                parseForm(rawQuery), headers, body);
    }

    /** Decodes {@code a=1&b=x+y} (query strings and form bodies); repeated names keep every value. */
    public static Map<String, List<String>> parseForm(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static void write(HttpExchange exchange, EmulatorResponse response) throws IOException {
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        boolean empty = bytes.length == 0 || response.status() == 204;
        exchange.sendResponseHeaders(response.status(), empty ? -1 : bytes.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** For a decorator or filter that needs a transformation of every response. */
    public static Decorator decorator(UnaryOperator<EmulatorResponse> op) {
        return (endpoint, request, response) -> op.apply(response);
    }
}
