package io.closedloop.sandbox.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every call an emulator answered, for tests and the benchmark to count API calls. Thread-safe. */
public final class CallJournal {
    /** One call. {@code status} is 0 for a reset connection. */
    public record Call(String endpoint, String method, String path, String query, int status, Instant at) {
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

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
    }
}
