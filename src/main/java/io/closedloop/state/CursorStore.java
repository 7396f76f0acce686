package io.closedloop.state;

import io.closedloop.core.Leadership;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** One durable cursor per source, stored as the cursor's own serialized form. */
public final class CursorStore {
    private final Jdbc jdbc;
    private final SqlStatements.Write upsert;
    private final Clock clock;
    private final java.util.function.Supplier<Leadership> fence;

    CursorStore(Jdbc jdbc, SqlStatements statements, Clock clock, java.util.function.Supplier<Leadership> fence) {
        this.fence = fence;
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = statements.upsert("source_cursor", List.of("source"), "source", "cursor_value", "updated_at");
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

    /** Only the leader of the current term moves a cursor: one that lost the lead never moves it back behind the new leader's. */
    public void put(String source, String value) {
        fence.get().verify("moving the cursor of " + source);
        jdbc.update(upsert, source, value, clock.instant());
    }
}
