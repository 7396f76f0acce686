package io.closedloop.state;

import java.time.Instant;

/**
 * Where a time-window source stands: everything that happened before {@code watermark} has been written or
 * parked. {@code polls} counts polls so that a periodic sweep can re-read the lookback window.
 */
public record TimeWindowCursor(Instant watermark, long polls) {
    public String serialize() {
        return "watermark=" + watermark.toEpochMilli() + ";polls=" + polls;
    }

    public static TimeWindowCursor parse(String value) {
        long watermark = -1;
        long polls = 0;
        for (String part : value.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("watermark")) {
                watermark = Long.parseLong(kv[1].trim());
            } else if (kv.length == 2 && kv[0].equals("polls")) {
                polls = Long.parseLong(kv[1].trim());
            }
        }
        if (watermark < 0) {
            throw new IllegalArgumentException("not a time-window cursor: " + value);
        }
        return new TimeWindowCursor(Instant.ofEpochMilli(watermark), polls);
    }
}
