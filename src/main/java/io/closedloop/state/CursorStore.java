package io.closedloop.state;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** One durable cursor per source, stored as the cursor's own serialized form. */
public final class CursorStore {
    private final Jdbc jdbc;
    private final String upsert;
    private final Clock clock;

    CursorStore(Jdbc jdbc, Dialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = dialect.upsert("source_cursor", List.of("source"), "source", "cursor_value", "updated_at");
    }

    public Optional<String> get(String source) {
        return jdbc.queryOne("SELECT cursor_value FROM source_cursor WHERE source = ?", rs -> rs.getString(1), source);
    }

    /** Call only after everything the cursor covers is durably written (to the target or the parked store). */
    /**
     * The source's cursor, or {@code initial} stored at once: a first window's start then stays put even if the
     * daemon dies before its first commit.
     */
    public String getOrStart(String source, java.util.function.Supplier<String> initial) {
        // an empty value is a reset cursor (a finished backfill leaves its cursors so): it starts again
        return get(source).filter(v -> !v.isEmpty()).orElseGet(() -> {
            String value = initial.get();
            put(source, value);
            return value;
        });
    }

    /** A stored cursor and when it last moved. */
    public record Stored(String source, String value, java.time.Instant updatedAt) {
    }

    /** Every source's cursor, by source. */
    public java.util.Map<String, Stored> all() {
        java.util.Map<String, Stored> out = new java.util.TreeMap<>();
        jdbc.query("SELECT source, cursor_value, updated_at FROM source_cursor", rs -> new Stored(rs.getString("source"),
                rs.getString("cursor_value"), Jdbc.instant(rs, "updated_at"))).forEach(c -> out.put(c.source(), c));
        return out;
    }

    public void put(String source, String value) {
        jdbc.update(upsert, source, value, clock.instant());
    }
}
