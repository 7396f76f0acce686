package io.closedloop.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/** Thin JDBC helper: parameter binding, row mapping, the current transaction and classified errors, nothing more. */
final class Jdbc {
    /** SQLState for a unique-constraint violation on both H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work on one connection; it may run again after a transient failure, so it only touches the database. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final StateStoreWriters writers;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    Jdbc(DataSource dataSource, StateStoreWriters writers) {
        this.dataSource = dataSource;
        this.writers = writers;
    }

    int update(String sql, Object... params) {
        return write(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * One statement, many parameter rows, one round trip and one commit (all or none); the update counts come back in
     * the rows' order. Rows go in key order so that concurrent batches take their locks alike.
     */
    int[] batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        Integer[] order = IntStream.range(0, rows.size()).boxed()
                .sorted(Comparator.comparing(i -> String.valueOf(rows.get(i)[0]))).toArray(Integer[]::new);
        return write(sql, c -> allOrNone(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i : order) {
                    bind(ps, rows.get(i));
                    ps.addBatch();
                }
                int[] inOrder = ps.executeBatch();
                int[] counts = new int[rows.size()];
                for (int k = 0; k < order.length; k++) {
                    counts[order[k]] = inOrder[k];
                }
                return counts;
            }
        }));
    }

    private interface Statements<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in the current transaction, or in one of its own on {@code c} when there is none. */
    private static <T> T allOrNone(Connection c, Statements<T> work) throws SQLException {
        boolean own = c.getAutoCommit();
        if (own) {
            c.setAutoCommit(false);
        }
        try {
            T out = work.run();
            if (own) {
                c.commit();
            }
            return out;
        } catch (SQLException | RuntimeException e) {
            if (own) {
                c.rollback();
            }
            throw e;
        } finally {
            if (own) {
                c.setAutoCommit(true);
            }
        }
    }

    /** One row of an insert-or statement. */
    int update(SqlStatements.Write statement, Object... params) {
        return update(statement.sql(), params);
    }

    /** Rows of one set-based statement at most: about 10 columns of 5,000 values each, well under any server limit. */
    static final int SET_ROWS = 5_000;

    /**
     * As {@link #batch(String, List)}: 1 for each row inserted or updated, 0 for each left as it was (an insert-ignore
     * that found its key). Where the store has the set-based form (PostgreSQL), the rows go in a few statements
     * instead of one each: the rows in key order, a key's second row in a second round (a statement cannot update a
     * row twice), at most {@link #SET_ROWS} rows a statement, all in one transaction.
     */
    int[] batch(SqlStatements.Write statement, List<Object[]> rows) {
        if (statement.many() == null || rows.size() < 2) {
            return batch(statement.sql(), rows);
        }
        List<List<Integer>> rounds = rounds(statement.keys(), rows);
        String sql = statement.many();
        return write(sql, c -> allOrNone(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int[] counts = new int[rows.size()];
                for (List<Integer> round : rounds) {
                    for (int from = 0; from < round.size(); from += SET_ROWS) {
                        List<Integer> part = round.subList(from, Math.min(round.size(), from + SET_ROWS));
                        int columns = rows.get(part.get(0)).length;
                        for (int col = 0; col < columns; col++) {
                            String[] values = new String[part.size()];
                            for (int k = 0; k < part.size(); k++) {
                                values[k] = text(rows.get(part.get(k))[col]);
                            }
                            ps.setArray(col + 1, c.createArrayOf("text", values));
                        }
                        try (ResultSet written = ps.executeQuery()) {
                            while (written.next()) {
                                counts[part.get(written.getInt(1) - 1)] = 1;
                            }
                        }
                    }
                }
                return counts;
            }
        }));
    }

    /**
     * The rows' positions in key order, split so that no round holds a key twice: a key's first row (by position) goes
     * in the first round, its second in the second, and so on, as a batch would run them.
     */
    static List<List<Integer>> rounds(int[] keys, List<Object[]> rows) {
        List<String> keyOf = rows.stream().map(r -> {
            StringBuilder k = new StringBuilder();
            for (int at : keys) {
                k.append(text(r[at])).append('\u0000');
            }
            return k.toString();
        }).toList();
        Integer[] order = IntStream.range(0, rows.size()).boxed().sorted(Comparator.comparing(keyOf::get)).toArray(Integer[]::new);
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i : order) {
            int round = seen.merge(keyOf.get(i), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        return rounds;
    }

    /** A value as the text PostgreSQL reads into its column's type; times in microseconds, as {@link #bind} has them. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.MICROS).toString();
        }
        if (value instanceof OffsetDateTime time) {
            return text(time.toInstant());
        }
        if (value instanceof Timestamp ts) {
            return text(ts.toInstant());
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString();
    }

    long insertReturningId(String sql, Object... params) {
        return write(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, params);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Keeps IN lists well under every driver's parameter limit. */
    static final int IN_LIST = 500;

    /** The values in lists of at most {@link #IN_LIST}, one {@code IN (...)} query each. */
    static <T> List<List<T>> inLists(java.util.Collection<T> values) {
        List<T> all = new java.util.ArrayList<>(values);
        List<List<T>> out = new java.util.ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_LIST) {
            out.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
        }
        return out;
    }

    /** {@code ?,?,?}: the parameter marks of an IN list of {@code n}. */
    static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    /** The values of an IN list, then more parameters. */
    static Object[] params(List<?> values, Object... then) {
        Object[] params = new Object[values.size() + then.length];
        for (int i = 0; i < values.size(); i++) {
            params[i] = values.get(i);
        }
        System.arraycopy(then, 0, params, values.size(), then.length);
        return params;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Work<List<T>> work = c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        };
        return run(sql, work, false);
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs {@code body} in one transaction: all its writes commit together or none does; nested calls join it. */
    void inTransaction(Runnable body) {
        if (transaction.get() != null) {
            body.run();
            return;
        }
        writers.exclusive("transaction", transactionOf(body));
    }

    /**
     * As {@link #inTransaction}, but on H2, while another writer holds the store, returns false at once and runs
     * nothing; true once {@code body} is committed.
     */
    boolean inTransactionIfFree(Runnable body) {
        if (transaction.get() != null) {
            body.run();
            return true;
        }
        return writers.exclusiveIfFree("transaction", transactionOf(body));
    }

    private StateStoreWriters.Call<Void> transactionOf(Runnable body) {
        return () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                transaction.set(c);
                try {
                    body.run();
                    c.commit();
                } catch (RuntimeException | SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    transaction.remove();
                    c.setAutoCommit(true);
                }
                writers.durable(c);
            }
            return null;
        };
    }

    private <T> T write(String sql, Work<T> work) {
        return run(sql, work, true);
    }

    private <T> T run(String sql, Work<T> work, boolean write) {
        Connection current = transaction.get();
        if (current != null) {
            // a failure inside a transaction fails the whole transaction, which is retried as one
            return attempt(sql, current, work);
        }
        StateStoreWriters.Call<T> call = () -> {
            try (Connection c = dataSource.getConnection()) {
                T out = work.run(c);
                if (write) {
                    writers.durable(c);
                }
                return out;
            }
        };
        return write ? writers.exclusive(sql, call) : writers.retrying(sql, call);
    }

    private static <T> T attempt(String sql, Connection c, Work<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw StateStoreException.of(sql, e);
        }
    }

    static boolean isUniqueViolation(StateStoreException e) {
        return UNIQUE_VIOLATION.equals(e.code());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                // microseconds, what both databases keep: a time read back is never later than the one written
                ps.setObject(i + 1, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            } else if (p instanceof Enum<?> e) {
                ps.setString(i + 1, e.name());
            } else if (p == null) {
                ps.setObject(i + 1, null);
            } else if (p instanceof Timestamp ts) {
                ps.setTimestamp(i + 1, ts);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
