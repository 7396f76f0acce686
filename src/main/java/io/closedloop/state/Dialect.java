package io.closedloop.state;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The few SQL statements that differ between H2 and PostgreSQL. */
public enum Dialect {
    H2, POSTGRES;

    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:h2: or jdbc:postgresql:)");
    }

    /** Column type for unbounded text, used as the Flyway {@code ${text}} placeholder. */
    public String textType() {
        return this == H2 ? "CLOB" : "TEXT";
    }

    /** Inserts a row unless one with the same key exists (then nothing changes); atomic under the store's writers. */
    public String insertIgnore(String table, List<String> keys, String... columns) {
        return insertOr(table, keys, List.of(), columns);
    }

    /** Inserts a row, or adds one to {@code counter} of the row with the same key; atomic under the store's writers. */
    public String insertOrIncrement(String table, List<String> keys, String counter, String... columns) {
        return insertOr(table, keys, List.of(new Merge(counter, "%1$s" + counter + " + 1")), columns);
    }

    /**
     * Inserts a row, or merges it into the row with the same key: each of {@code sums} adds the new value to the
     * stored one, each of {@code maxima} keeps the greater of the two. Atomic under the store's writers.
     */
    public String insertOrAccumulate(String table, List<String> keys, List<String> sums, List<String> maxima, String... columns) {
        List<Merge> merges = new java.util.ArrayList<>();
        sums.forEach(c -> merges.add(new Merge(c, "%1$s" + c + " + %2$s" + c)));
        maxima.forEach(c -> merges.add(new Merge(c, "GREATEST(%1$s" + c + ", %2$s" + c + ")")));
        return insertOr(table, keys, merges, columns);
    }

    /** A column set on a key match: {@code expression} formats with the stored row's prefix, then the new row's. */
    private record Merge(String column, String expression) {
        String set(String stored, String incoming) {
            return column + " = " + String.format(expression, stored, incoming);
        }
    }

    private String insertOr(String table, List<String> keys, List<Merge> merges, String... columns) {
        String cols = String.join(", ", columns);
        String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            String on = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
            String sourceCols = Arrays.stream(columns).map(c -> "s." + c).collect(Collectors.joining(", "));
            String matched = merges.isEmpty() ? ""
                    : " WHEN MATCHED THEN UPDATE SET " + merges.stream().map(m -> m.set("t.", "s.")).collect(Collectors.joining(", "));
            return "MERGE INTO " + table + " t USING (VALUES (" + marks + ")) s (" + cols + ") ON " + on + matched
                    + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + sourceCols + ")";
        }
        String conflict = merges.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + merges.stream().map(m -> m.set(table + ".", "EXCLUDED.")).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT (" + String.join(", ", keys) + ") " + conflict;
    }

    /** An atomic insert-or-update keyed on {@code keys}; parameters bind in {@code columns} order. */
    public String upsert(String table, List<String> keys, String... columns) {
        String cols = String.join(", ", columns);
        String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", keys) + ") VALUES (" + marks + ")";
        }
        String updates = Arrays.stream(columns).filter(c -> !keys.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
                + String.join(", ", keys) + ") DO UPDATE SET " + updates;
    }
}
