package io.closedloop.flow.engagement;

import java.time.Duration;
import java.time.Instant;

/**
 * When the unmatched retry tries a parked record again: the first wait after a failed attempt is {@code first}
 * (the retry interval), and it doubles at each further failure up to {@code max}.
 */
public record SalesforceUnmatchedBackoff(Duration first, Duration max) {
    public SalesforceUnmatchedBackoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("the backoff must be positive and its maximum no shorter than its first wait");
        }
    }

    /** The wait after an attempt that failed, for a record parked {@code attempts} times before that attempt. */
    public Duration after(int attempts) {
        Duration wait = first;
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) < 0 ? wait : max;
    }

    public Instant next(Instant now, int attempts) {
        return now.plus(after(attempts));
    }
}
