package io.closedloop.state;

import java.time.Instant;

/**
 * Where a time-window source stands: everything that happened before {@code watermark} has been written or
 * parked. {@code polls} counts polls; {@code sweptAt} is when the source last re-read its sweep depth for
 * late-indexed records (the epoch: never).
 */
public record TimeWindowCursor(Instant watermark, long polls, Instant sweptAt) {
    public TimeWindowCursor(Instant watermark, long polls) {
        this(watermark, polls, Instant.EPOCH);
    }

    public String serialize() {
        return "watermark=" + watermark.toEpochMilli() + ";polls=" + polls
                + (sweptAt.equals(Instant.EPOCH) ? "" : ";swept=" + sweptAt.toEpochMilli());
    }

    public static TimeWindowCursor parse(String value) {
        long watermark = -1;
        long polls = 0;
        long swept = 0;
        for (String part : value.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("watermark")) {
                watermark = Long.parseLong(kv[1].trim());
            } else if (kv.length == 2 && kv[0].equals("polls")) {
                polls = Long.parseLong(kv[1].trim());
            } else if (kv.length == 2 && kv[0].equals("swept")) {
                swept = Long.parseLong(kv[1].trim());
            }
        }
        if (watermark < 0) {
            throw new IllegalArgumentException("not a time-window cursor: " + value);
        }
        return new TimeWindowCursor(Instant.ofEpochMilli(watermark), polls, Instant.ofEpochMilli(swept));
    }
}
