package io.closedloop.salesforce;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Builds SOQL safely: every value is escaped (salesforce-api.md §2.3), IN lists are chunked by length. */
public final class SalesforceSoql {
    /** Keeps each query well under the SOQL statement limit and any proxy's URL limit. */
    public static final int MAX_IN_CLAUSE_CHARS = 8_000;

    private SalesforceSoql() {
    }

    /** A quoted string literal: backslash and quote escaped, control characters as escapes. */
    public static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }

    /** An unquoted datetime literal, truncated to whole seconds (fractions are not in the documented formats). */
    public static String dateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A LIKE pattern literal for values that end with {@code suffix}; its own wildcards match only themselves. */
    public static String endsWith(String suffix) {
        String quoted = literal(suffix);
        return "'%" + likeEscaped(quoted.substring(1, quoted.length() - 1)) + "'";
    }

    /** Escapes LIKE wildcards in an already quoted body, so the quoting cannot double their backslash (§2.3). */
    private static String likeEscaped(String quotedBody) {
        return quotedBody.replace("_", "\\_").replace("%", "\\%");
    }

    /**
     * Splits values into IN lists ({@code 'a','b'}) that each stay under {@code maxChars}, so one query per
     * chunk can never exceed the statement limit whatever the values are.
     */
    public static List<String> inLists(Collection<String> values, int maxChars) {
        return joined(values.stream().map(SalesforceSoql::literal).toList(), ",", maxChars);
    }

    /** Joins conditions (or literals) with {@code separator} into chunks that each stay under {@code maxChars}. */
    public static List<String> joined(Collection<String> parts, String separator, int maxChars) {
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String part : parts) {
            if (current.length() > 0 && current.length() + separator.length() + part.length() > maxChars) {
                chunks.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(separator);
            }
            current.append(part);
        }
        if (current.length() > 0) {
            chunks.add(current.toString());
        }
        return chunks;
    }

    /** The end of a query read by SystemModstamp: an optional upper bound (exclusive, a formatted date-time), the order, a limit (0: none). */
    public static String modstampTail(String until, int limit) {
        return (until == null ? "" : " AND SystemModstamp < " + until) + " ORDER BY SystemModstamp, Id" + (limit > 0 ? " LIMIT " + limit : "");
    }
}
