package io.closedloop.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** The system clock plus an offset a test moves forward: real time keeps ticking for rate windows, and minutes pass at once. */
public final class ShiftedClock extends Clock {
    private volatile Clock shifted = Clock.systemUTC();

    public void advance(Duration d) {
        shifted = Clock.offset(shifted, d);
    }

    @Override
    public Instant instant() {
        return shifted.instant();
    }

    @Override
    public ZoneId getZone() {
        return shifted.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
