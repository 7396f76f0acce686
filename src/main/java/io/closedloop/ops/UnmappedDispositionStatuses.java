package io.closedloop.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Lead statuses met at runtime that no status.* key maps: counted per status on /observe/metrics as
 * {@code closedloop_dispositions_unmapped_total{status="..."}} and shown in the health details, so a mapping that does
 * not fit the org is seen, not silent. The Leads themselves are parked as UNMAPPED_STATUS.
 */
public final class UnmappedDispositionStatuses {
    public static final String METER = "closedloop.dispositions.unmapped";

    private final Supplier<MeterRegistry> meters;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public UnmappedDispositionStatuses(Supplier<MeterRegistry> meters) {
        this.meters = meters;
    }

    public void seen(String status) {
        String s = status == null ? "" : status;
        counts.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet();
        MeterRegistry registry = meters.get();
        if (registry != null) {
            Counter.builder(METER).tag("status", s).description("Leads read with a Lead Status no status.* key maps (parked as UNMAPPED_STATUS)")
                    .register(registry).increment();
        }
    }

    /** Status to Leads seen since start, sorted by status. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
