package io.closedloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/** The times of the calls made in the last {@code span}: a rolling window like HubSpot's own limiter. Not thread-safe. */
public final class RollingWindow {
    private final Duration span;
    private final ArrayDeque<Instant> calls = new ArrayDeque<>();

    public RollingWindow(Duration span) {
        this.span = span;
    }

    public void add(Instant at) {
        calls.addLast(at);
    }

    /** Calls still inside the window at {@code now}. */
    public int count(Instant now) {
        prune(now);
        return calls.size();
    }

    /** How long until a call fits under {@code max}: zero if one fits now. */
    public Duration waitFor(Instant now, int max) {
        prune(now);
        if (calls.size() < max) {
            return Duration.ZERO;
        }
        // the call that frees the slot we need is the (size - max + 1)-th oldest
        Instant freeing = calls.stream().skip(calls.size() - max).findFirst().orElse(now);
        return Duration.between(now, freeing.plus(span));
    }

    /** When the oldest call leaves the window, or null if the window is empty. */
    public Instant oldestExpiry(Instant now) {
        prune(now);
        return calls.isEmpty() ? null : calls.peekFirst().plus(span);
    }

    public Duration span() {
        return span;
    }

    private void prune(Instant now) {
        Instant edge = now.minus(span);
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(edge)) {
            calls.pollFirst();
        }
    }
}
