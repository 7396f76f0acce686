package io.closedloop.sandbox.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Conversions between Java values in the org and the wire formats of reference §0.1. */
public final class SalesforceValues {
    /** Responses carry milliseconds and an offset without a colon: 2013-05-20T20:49:32.000+0000. */
    public static final DateTimeFormatter DATETIME_OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);
    private static final Pattern OFFSET_NO_COLON = Pattern.compile("([+-]\\d{2})(\\d{2})$");
    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private SalesforceValues() {
    }

    /** The JSON value for a stored value: datetimes and dates as strings, the rest unchanged. */
    public static Object toJson(Object value) {
        if (value instanceof Instant i) {
            return DATETIME_OUT.format(i);
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        return value;
    }

    /** ISO-8601 with Z, +00:00 or +0000 and optional fractional seconds; null if it is not one. */
    public static Instant parseDateTime(String s) {
        String t = s.trim();
        if (DATE_ONLY.matcher(t).matches()) {
            return null;
        }
        t = OFFSET_NO_COLON.matcher(t).replaceFirst("$1:$2");
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // a datetime without an offset is taken as UTC, the zone SOQL and the API work in
            try {
                return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** A plain date, or the date part of a datetime; null if it is neither. */
    public static LocalDate parseDate(String s) {
        String t = s.trim();
        try {
            if (DATE_ONLY.matcher(t).matches()) {
                return LocalDate.parse(t);
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        Instant i = parseDateTime(t);
        return i == null ? null : i.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Numbers from Integer, Long, Double, BigDecimal or a numeric string; null if not numeric. */
    public static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Datetimes from Instant, OffsetDateTime, ZonedDateTime, epoch millis or an ISO string; null otherwise. */
    public static Instant toInstant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (v instanceof Long l) {
            return Instant.ofEpochMilli(l);
        }
        if (v instanceof String s) {
            return parseDateTime(s);
        }
        return null;
    }

    public static LocalDate toLocalDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC).toLocalDate();
        }
        if (v instanceof String s) {
            return parseDate(s);
        }
        return null;
    }
}
