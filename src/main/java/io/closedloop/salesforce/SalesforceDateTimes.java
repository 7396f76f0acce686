package io.closedloop.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Salesforce datetimes (salesforce-api.md §0.1): responses carry {@code 2024-06-03T09:20:40.000+0000} (an offset
 * without a colon); requests send milliseconds and a zone, {@code 2024-06-03T09:20:40.000Z}.
 */
public final class SalesforceDateTimes {
    /** Offsets with or without a colon, or Z; fractions of any length or none. */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private SalesforceDateTimes() {
    }

    /**
     * A datetime as Salesforce returns it, or null for null or blank.
     *
     * @throws java.time.format.DateTimeParseException when the value is not a datetime with an offset
     */
    public static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant utc = utcMillis(value);
        return utc != null ? utc : OffsetDateTime.parse(value.trim(), READ).toInstant();
    }

    /**
     * The shape every REST and SOQL response carries ({@code 2024-06-03T09:20:40.000+0000}) read without the formatter,
     * which costs about ten times as much (a dispositions read parses every modified Lead's SystemModstamp); null for
     * any other shape or an impossible date, which the formatter then reads or refuses.
     */
    private static Instant utcMillis(String v) {
        if (v.length() != 28 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':'
                || v.charAt(16) != ':' || v.charAt(19) != '.' || !v.endsWith("+0000")) {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 7);
        int day = digits(v, 8, 10);
        int hour = digits(v, 11, 13);
        int minute = digits(v, 14, 16);
        int second = digits(v, 17, 19);
        int millis = digits(v, 20, 23);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException impossible) {
            return null;
        }
    }

    /** The decimal number in {@code v[from, to)}, or -1 if a character there is no ASCII digit. */
    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A datetime for a request: UTC, milliseconds, {@code Z} (SalesforceSoql.dateTime gives the whole-second SOQL literal). */
    public static String format(Instant instant) {
        return WRITE.format(instant);
    }
}
