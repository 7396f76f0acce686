package io.closedloop.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * How far a remote API's clock is from this host's, measured from the {@code Date} header of its responses (RFC 9110
 * §6.6.1: the origin server's time when it generated the response, to the second). Time-windowed sources widen their
 * settle time by it, and pause while it is over the limit: their windows would otherwise skip or delay records.
 */
public final class ClockOffset {
    /** A Date header is truncated to the second: the remote instant lies half a second after it on average. */
    private static final Duration HALF_SECOND = Duration.ofMillis(500);
    /** How long a paused source waits before it measures again. */
    public static final Duration RECHECK = Duration.ofMinutes(1);

    private final String api;
    private final String name;
    private final Duration limit;
    private volatile Duration offset = Duration.ZERO;
    private volatile boolean measured;

    /** @param limit the largest offset, either way, at which time-windowed sources still run */
    public ClockOffset(String api, String name, Duration limit) {
        this.api = api;
        this.name = name;
        this.limit = limit;
    }

    /** One response: {@code remoteDate} from its Date header, {@code received} on this host's clock. */
    public void sample(Instant remoteDate, Instant received) {
        offset = Duration.between(received, remoteDate.plus(HALF_SECOND));
        measured = true;
    }

    /** One response's {@code Date} header (IMF-fixdate); an absent or unreadable one is no sample. */
    public void sample(String dateHeader, Instant received) {
        if (dateHeader == null || dateHeader.isBlank()) {
            return;
        }
        try {
            sample(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(dateHeader.trim())), received);
        } catch (DateTimeException e) {
            // a proxy's odd header is not worth failing a call for
        }
    }

    public String api() {
        return api;
    }

    /** The remote clock minus ours; zero until a response carried a Date header. */
    public Duration offset() {
        return offset;
    }

    /** The offset's size, which widens the settle time whichever way the clocks differ. */
    public Duration magnitude() {
        return offset.abs();
    }

    public boolean measured() {
        return measured;
    }

    public Duration limit() {
        return limit;
    }

    public boolean exceeded() {
        return magnitude().compareTo(limit) > 0;
    }

    /** Throws {@link PausedSyncException} while the offset is over the limit. */
    public void guard(Instant now) {
        if (exceeded()) {
            throw new PausedSyncException(api, "CLOCK_SKEW", describe() + ", over the limit of " + limit.toSeconds()
                    + " s: time-windowed sources are paused until the clocks agree (check NTP on this host)", now.plus(RECHECK));
        }
    }

    /** "HubSpot's clock is 31 s ahead of this host's". */
    public String describe() {
        long seconds = offset.toSeconds();
        return name + "'s clock is " + Math.abs(seconds) + " s " + (offset.isNegative() ? "behind" : "ahead of") + " this host's";
    }
}
