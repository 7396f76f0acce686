package io.closedloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a source starts at its very first poll, before it has a cursor: a duration back from that poll
 * ({@code 1h}, {@code 7d}) or a fixed instant ({@code 2026-11-01T00:00:00Z}).
 */
public record StartFrom(Duration ago, Instant at) {

    public StartFrom {
        if ((ago == null) == (at == null)) {
            throw new IllegalArgumentException("exactly one of a duration or an instant");
        }
        if (ago != null && ago.isNegative()) {
            throw new IllegalArgumentException("a duration back from now cannot be negative");
        }
    }

    public static StartFrom ago(Duration ago) {
        return new StartFrom(Objects.requireNonNull(ago), null);
    }

    public static StartFrom at(Instant at) {
        return new StartFrom(null, Objects.requireNonNull(at));
    }

    /** The start for a first poll at {@code now}; never after {@code now}. */
    public Instant from(Instant now) {
        Instant start = at != null ? at : now.minus(ago);
        return start.isAfter(now) ? now : start;
    }

    @Override
    public String toString() {
        return at != null ? at.toString() : ago.toString();
    }
}
