package io.closedloop.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The insert-or and upsert statements of one store, which H2 and PostgreSQL spell differently.
 *
 * <p>On H2 an insert-or is a {@code MERGE … USING (VALUES (?, …))}, and each value is cast to its column's declared
 * type. Without the casts, H2 types the source row's columns from the values bound when it prepares the statement,
 * and it prepares it again, with a batch's current row bound, whenever the database's metadata changed since (any
 * connection opening with settings in its URL, as the pool does at start and when it renews a connection; an
 * ANALYZE): a value that is NULL at that moment types its column NULL, and every later row of the batch then writes
 * NULL there. A ledger row could lose its Account or asset
 * name that way, a verdict its reason, with no error. {@code H2StateStoreTest} drives that case.
 *
 * <p>On PostgreSQL an insert-or also has a set-based form ({@link Write#many()}): the rows go in as one array a
 * column, {@code unnest}ed into one {@code INSERT … SELECT … ON CONFLICT} that reports the rows it wrote. A JDBC batch
 * of the one-row form runs on the server a row at a time, each with its own planning and index probes; recording a
 * poll's chunk of 10,000 activities is three of them.
 */
final class SqlStatements {
    private final Dialect dialect;
    /**
     * Each column's type, by {@code table.column} in lower case: on H2 as declared, for the casts; on PostgreSQL its
     * base type ({@code udt_name}: {@code varchar}, {@code int8}, {@code timestamptz}), for the arrays.
     */
    private final java.util.function.Supplier<Map<String, String>> types;
    private volatile Map<String, String> read;
    /** Every statement built so far, so that {@link #buildAll} can check them at once. */
    private final List<Write> writes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SqlStatements(Dialect dialect, java.util.function.Supplier<Map<String, String>> types) {
        this.dialect = dialect;
        this.types = types;
    }

    /**
     * The statements of a store; it reads the columns' types once, when the first statement is first used, so a store
     * whose schema is still being migrated can build its statements (then the first use waits for the migration).
     */
    static SqlStatements of(DataSource dataSource, Dialect dialect) {
        return new SqlStatements(dialect, () -> dialect == Dialect.H2 ? h2Types(dataSource) : postgresTypes(dataSource));
    }

    /** Builds every statement made so far: one naming a column the store does not have throws here, not at its first write. */
    void buildAll() {
        writes.forEach(Write::sql);
    }

    private Write add(Write write) {
        writes.add(write);
        return write;
    }

    private static Map<String, String> h2Types(DataSource dataSource) {
        String sql = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, "
                + "DATETIME_PRECISION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA()";
        return types(dataSource, sql, rs -> h2Type(rs.getString(3), rs.getObject(4, Long.class), rs.getObject(5, Integer.class),
                rs.getObject(6, Integer.class), rs.getObject(7, Integer.class)));
    }

    private static Map<String, String> postgresTypes(DataSource dataSource) {
        return types(dataSource, "SELECT table_name, column_name, udt_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema()", rs -> rs.getString(3));
    }

    private static Map<String, String> types(DataSource dataSource, String sql, Jdbc.RowMapper<String> type) {
        Map<String, String> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put((rs.getString(1) + "." + rs.getString(2)).toLowerCase(Locale.ROOT), type.map(rs));
            }
        } catch (SQLException e) {
            throw StateStoreException.of(sql, e);
        }
        return out;
    }

    /** A declared type as H2's INFORMATION_SCHEMA describes it, spelled for a CAST. */
    static String h2Type(String dataType, Long length, Integer precision, Integer scale, Integer datetimePrecision) {
        return switch (dataType) {
            case "CHARACTER VARYING", "CHARACTER", "VARCHAR_IGNORECASE", "BINARY VARYING" -> dataType + "(" + length + ")";
            case "NUMERIC", "DECIMAL" -> dataType + "(" + precision + ", " + scale + ")";
            case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP(" + datetimePrecision + ") WITH TIME ZONE";
            case "TIMESTAMP" -> "TIMESTAMP(" + datetimePrecision + ")";
            default -> dataType;
        };
    }

    /** Inserts a row unless one with the same key exists (then nothing changes); atomic under the store's writers. */
    Write insertIgnore(String table, List<String> keys, String... columns) {
        return insertOr(table, keys, List.of(), columns);
    }

    /** Inserts a row, or adds one to {@code counter} of the row with the same key; atomic under the store's writers. */
    Write insertOrIncrement(String table, List<String> keys, String counter, String... columns) {
        return insertOr(table, keys, List.of(new Merge(counter, "%1$s" + counter + " + 1")), columns);
    }

    /**
     * Inserts a row, or merges it into the row with the same key: each of {@code sums} adds the new value to the
     * stored one, each of {@code maxima} keeps the greater of the two. Atomic under the store's writers.
     */
    Write insertOrAccumulate(String table, List<String> keys, List<String> sums, List<String> maxima, String... columns) {
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

    /**
     * An insert-or statement: {@code sql} writes the row its parameters bind (in column order), {@code many} (PostgreSQL
     * only, else null) writes many rows at once, each parameter an array of one column's values, and returns the
     * 1-based positions of the rows it inserted or updated. {@code keys} are the key columns' positions.
     *
     * <p>{@code many} must not see a key twice: {@code ON CONFLICT DO UPDATE} cannot change a row twice in one
     * statement. {@link Jdbc#batch(Write, List)} splits such rows into rounds.
     */
    static final class Write {
        /** Key columns' positions among the parameters. */
        private final int[] keys;
        private final java.util.function.Supplier<String[]> build;
        private volatile String[] built;

        private Write(int[] keys, java.util.function.Supplier<String[]> build) {
            this.keys = keys;
            this.build = build;
        }

        String sql() {
            return statements()[0];
        }

        String many() {
            return statements()[1];
        }

        int[] keys() {
            return keys;
        }

        /** Built on first use: the H2 casts and PostgreSQL arrays need the columns' types, which the migrated store has. */
        private String[] statements() {
            String[] s = built;
            if (s == null) {
                s = build.get();
                built = s;
            }
            return s;
        }
    }

    private Write insertOr(String table, List<String> keys, List<Merge> merges, String... columns) {
        String cols = String.join(", ", columns);
        int[] keyAt = positions(table, keys, columns);
        if (dialect == Dialect.H2) {
            String on = keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
            String sourceCols = Arrays.stream(columns).map(c -> "s." + c).collect(Collectors.joining(", "));
            String matched = merges.isEmpty() ? ""
                    : " WHEN MATCHED THEN UPDATE SET " + merges.stream().map(m -> m.set("t.", "s.")).collect(Collectors.joining(", "));
            return add(new Write(keyAt, () -> {
                String values = Arrays.stream(columns).map(c -> "CAST(? AS " + type(table, c) + ")").collect(Collectors.joining(", "));
                return new String[] {"MERGE INTO " + table + " t USING (VALUES (" + values + ")) s (" + cols + ") ON " + on + matched
                        + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + sourceCols + ")", null};
            }));
        }
        String conflict = merges.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + merges.stream().map(m -> m.set(table + ".", "EXCLUDED.")).collect(Collectors.joining(", "));
        return add(new Write(keyAt, () -> postgres(table, keys, conflict, columns)));
    }

    /** The PostgreSQL statements: one row's {@code INSERT … ON CONFLICT}, and the same for many rows from arrays. */
    private String[] postgres(String table, List<String> keys, String conflict, String... columns) {
        String cols = String.join(", ", columns);
        String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
        String onConflict = " ON CONFLICT (" + String.join(", ", keys) + ") " + conflict;
        String arrays = Arrays.stream(columns).map(c -> "CAST(? AS " + type(table, c) + "[])").collect(Collectors.joining(", "));
        String joined = keys.stream().map(k -> "s." + k + " = w." + k).collect(Collectors.joining(" AND "));
        // the rows go in in the arrays' order (the caller's key order, so that concurrent writers lock alike); the
        // join on the key gives back the position of each row written (unique: the caller never repeats a key)
        String many = "WITH s AS (SELECT * FROM unnest(" + arrays + ") WITH ORDINALITY AS u (" + cols + ", row_at)), "
                + "w AS (INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM s ORDER BY row_at" + onConflict
                + " RETURNING " + String.join(", ", keys) + ") SELECT s.row_at FROM s JOIN w ON " + joined;
        return new String[] {"INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")" + onConflict, many};
    }

    private static int[] positions(String table, List<String> keys, String... columns) {
        int[] keyAt = keys.stream().mapToInt(k -> List.of(columns).indexOf(k)).toArray();
        if (Arrays.stream(keyAt).anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException("a key of " + table + " is not among its columns");
        }
        return keyAt;
    }

    private String type(String table, String column) {
        Map<String, String> columns = read;
        if (columns == null) {
            columns = types.get();
            read = columns;
        }
        String type = columns.get((table + "." + column).toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new IllegalStateException("no column " + table + "." + column + " in the store");
        }
        return type;
    }

    /**
     * An atomic insert-or-update keyed on {@code keys}; parameters bind in {@code columns} order, and of rows with the
     * same key in one batch the last one stays. H2's {@code MERGE … KEY … VALUES} types each value by its target
     * column, so it needs no cast.
     */
    Write upsert(String table, List<String> keys, String... columns) {
        int[] keyAt = positions(table, keys, columns);
        if (dialect == Dialect.H2) {
            String marks = Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", "));
            String[] merge = {"MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keys) + ") VALUES ("
                    + marks + ")", null};
            return add(new Write(keyAt, () -> merge));
        }
        String updates = Arrays.stream(columns).filter(c -> !keys.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return add(new Write(keyAt, () -> postgres(table, keys, "DO UPDATE SET " + updates, columns)));
    }
}
