package io.closedloop.sandbox.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every call an emulator answered, for tests and the benchmark to count API calls. Thread-safe. */
public final class CallJournal {
    /**
     * One call. {@code status} is 0 for a reset connection. {@code caller} tells apart clients with different
     * credentials (the last characters of the bearer token), so a test of several daemons sees who called. {@code began}
     * is when the request arrived and {@code at} when it was answered (the latency and any delay in between).
     */
    public record Call(String endpoint, String method, String path, String query, int status, Instant at, String caller, Instant began) {
        public Call(String endpoint, String method, String path, String query, int status, Instant at) {
            this(endpoint, method, path, query, status, at, null);
        }

        public Call(String endpoint, String method, String path, String query, int status, Instant at, String caller) {
            this(endpoint, method, path, query, status, at, caller, at);
        }
    }

    /** The caller of a request: the last 8 characters of its bearer token, or null without one. */
    public static String caller(EmulatorRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 15) {
            return null;
        }
        return auth.substring(auth.length() - 8);
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Map<String, int[]> inFlight = new java.util.HashMap<>();

    /** A call to {@code endpoint} begins: counted in flight until {@link #leave}. */
    synchronized void enter(String endpoint) {
        int[] n = inFlight.computeIfAbsent(endpoint, k -> new int[2]);
        n[0]++;
        n[1] = Math.max(n[1], n[0]);
    }

    synchronized void leave(String endpoint) {
        inFlight.get(endpoint)[0]--;
    }

    /**
     * The calls in flight now (begun, not answered yet) to {@code endpoint}, or to every endpoint of a prefix ending in
     * {@code *} (e.g. {@code "salesforce.*"}).
     */
    public synchronized int inFlight(String endpoint) {
        if (endpoint.endsWith("*")) {
            String prefix = endpoint.substring(0, endpoint.length() - 1);
            return inFlight.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue()[0]).sum();
        }
        int[] n = inFlight.get(endpoint);
        return n == null ? 0 : n[0];
    }

    /** The most calls to {@code endpoint} that were in flight at once since the last reset. */
    public synchronized int peakInFlight(String endpoint) {
        int[] n = inFlight.get(endpoint);
        return n == null ? 0 : n[1];
    }

    void record(Call call) {
        calls.add(call);
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public long count(String endpoint) {
        return calls.stream().filter(c -> c.endpoint().equals(endpoint)).count();
    }

    public long count(String endpoint, String method) {
        return calls.stream().filter(c -> c.endpoint().equals(endpoint) && c.method().equals(method)).count();
    }

    public long total() {
        return calls.size();
    }

    /** Counts keyed by {@code "METHOD endpoint"}, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach(c -> out.merge(c.method() + " " + c.endpoint(), 1L, Long::sum));
        return out;
    }

    public void reset() {
        calls.clear();
        synchronized (this) {
            inFlight.values().forEach(n -> n[1] = n[0]);
        }
    }
}
