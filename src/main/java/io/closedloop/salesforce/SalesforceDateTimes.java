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
        return OffsetDateTime.parse(value.trim(), READ).toInstant();
    }

    /** A datetime for a request: UTC, milliseconds, {@code Z} (SalesforceSoql.dateTime gives the whole-second SOQL literal). */
    public static String format(Instant instant) {
        return WRITE.format(instant);
    }
}
