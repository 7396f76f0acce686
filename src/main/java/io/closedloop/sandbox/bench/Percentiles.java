package io.closedloop.sandbox.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** p50, p95 and max of a list of milliseconds (nearest rank), with the count they come from. */
final class Percentiles {
    private Percentiles() {
    }

    static Map<String, Long> of(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("count", (long) sorted.size());
        out.put("p50", rank(sorted, 0.50));
        out.put("p95", rank(sorted, 0.95));
        out.put("max", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
        return out;
    }

    static long rank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
