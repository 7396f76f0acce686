package io.closedloop.state;

import java.time.Instant;

/**
 * Where a time-window source stands: everything that happened before {@code watermark} has been written or
 * parked. {@code polls} counts polls; {@code sweptAt} is when the source last re-read its sweep depth for
 * late-indexed records (the epoch: never). A window read newest first in chunks keeps {@code below}: everything from
 * there to the window's end is written too, and once the rest is, the watermark becomes {@code then} (both null when
 * no window is part-read). {@code from} is where the part-read window starts (a sweep starts its depth back, before
 * the watermark); null for a cursor written before it was kept, whose window starts at the watermark less the overlap.
 */
public record TimeWindowCursor(Instant watermark, long polls, Instant sweptAt, Instant below, Instant then, Instant from) {
    public TimeWindowCursor(Instant watermark, long polls) {
        this(watermark, polls, Instant.EPOCH);
    }

    public TimeWindowCursor(Instant watermark, long polls, Instant sweptAt) {
        this(watermark, polls, sweptAt, null, null, null);
    }

    public TimeWindowCursor {
        if ((below == null) != (then == null)) {
            throw new IllegalArgumentException("a part-read window needs both its lower end and its final watermark");
        }
        if (from != null && below == null) {
            throw new IllegalArgumentException("only a part-read window keeps where it starts");
        }
    }

    /** Whether a window is part-read: {@code [watermark, below)} is still to read. */
    public boolean draining() {
        return below != null;
    }

    public String serialize() {
        return "watermark=" + watermark.toEpochMilli() + ";polls=" + polls
                + (sweptAt.equals(Instant.EPOCH) ? "" : ";swept=" + sweptAt.toEpochMilli())
                + (below == null ? "" : ";below=" + below.toEpochMilli() + ";then=" + then.toEpochMilli())
                + (from == null ? "" : ";from=" + from.toEpochMilli());
    }

    public static TimeWindowCursor parse(String value) {
        long watermark = -1;
        long polls = 0;
        long swept = 0;
        Instant below = null;
        Instant then = null;
        Instant from = null;
        for (String part : value.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "watermark" -> watermark = Long.parseLong(kv[1].trim());
                case "polls" -> polls = Long.parseLong(kv[1].trim());
                case "swept" -> swept = Long.parseLong(kv[1].trim());
                case "below" -> below = Instant.ofEpochMilli(Long.parseLong(kv[1].trim()));
                case "then" -> then = Instant.ofEpochMilli(Long.parseLong(kv[1].trim()));
                case "from" -> from = Instant.ofEpochMilli(Long.parseLong(kv[1].trim()));
                default -> { }
            }
        }
        if (watermark < 0) {
            throw new IllegalArgumentException("not a time-window cursor: " + value);
        }
        return new TimeWindowCursor(Instant.ofEpochMilli(watermark), polls, Instant.ofEpochMilli(swept), below, then, from);
    }
}
