package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opening with its migration on a thread of its own (what the daemon does, so Camel is configured meanwhile):
 * nothing reads or writes before the schema is up to date, and a migration that fails fails everything after it.
 */
class StateStoreOpeningTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** A migration that waits for {@code go} before it migrates. */
    private static StateStore.Migration heldBy(CountDownLatch started, CountDownLatch go) {
        return (pool, dialect) -> {
            started.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            StateStore.migrate(pool, dialect);
        };
    }

    private static void onItsOwnThread(Runnable migration) {
        new Thread(migration, "test-migration").start();
    }

    @Test
    void theStoreIsHandedOutBeforeItsMigrationEndsAndEveryReadAndWriteWaitsForIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        StateStore store = StateStore.opening(url(), "sa", "", Clock.systemUTC(), heldBy(started, go), StateStoreOpeningTest::onItsOwnThread);
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // every part of the store is there to be handed to the flows while the schema migrates
            assertThat(store.cursors()).isNotNull();
            assertThat(store.ledger()).isNotNull();
            assertThat(store.runs()).isNotNull();
            // a readiness probe waits for the migration as long as it may, then says why it got no answer
            assertThat(store.ping(Duration.ofMillis(200))).contains("the schema is still being migrated");

            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> store.cursors().put("hubspot-email-events", "c1"));
            // with no table yet, a write let through would fail at once; held, it is still waiting
            assertThat(write).as("a write before the schema is up to date").isNotDone();
            Thread.sleep(300);
            assertThat(write).as("a write before the schema is up to date").isNotDone();

            go.countDown();
            write.get(10, TimeUnit.SECONDS);
            store.awaitSchema();
            assertThat(store.cursors().get("hubspot-email-events")).contains("c1");
            assertThat(store.ping(Duration.ofSeconds(2))).isEmpty();
        } finally {
            go.countDown();
            store.close();
        }
    }

    @Test
    void closingAStoreWhileItMigratesWaitsForTheMigrationToEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        StateStore store = StateStore.opening(url(), "sa", "", Clock.systemUTC(), heldBy(started, go), StateStoreOpeningTest::onItsOwnThread);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(store::close);
        Thread.sleep(300);
        assertThat(closed).as("closed under a running migration").isNotDone();
        go.countDown();
        closed.get(10, TimeUnit.SECONDS);

        // the migration finished before the pool closed: the next open finds the schema current
        try (StateStore again = StateStore.open(url(), "sa", "", Clock.systemUTC())) {
            assertThat(SchemaHistory.current(again.dataSource())).isTrue();
        }
    }

    @Test
    void aMigrationThatFailsFailsTheAwaitAndEveryReadWithItsOwnFailure() {
        IllegalStateException failure = new IllegalStateException("Validate failed: migration checksum mismatch for version 1");
        StateStore store = StateStore.opening(url(), "sa", "", Clock.systemUTC(), (pool, dialect) -> {
            throw failure;
        }, StateStoreOpeningTest::onItsOwnThread);
        try {
            assertThatThrownBy(store::awaitSchema).isSameAs(failure);
            Throwable read = org.assertj.core.api.Assertions.catchThrowable(() -> store.cursors().get("hubspot-email-events"));
            assertThat(read).as("a read after the failed migration").isNotNull();
            assertThat(chain(read)).contains(failure);
            assertThat(store.ping(Duration.ofSeconds(2))).contains("the schema migration failed");
        } finally {
            store.close();
        }
    }

    private static java.util.List<Throwable> chain(Throwable t) {
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    @Test
    void aStatementNamingAColumnTheMigratedSchemaLacksFailsTheAwaitNotTheFirstWrite() {
        StateStore store = StateStore.opening(url(), "sa", "", Clock.systemUTC(), (pool, dialect) -> {
            StateStore.migrate(pool, dialect);
            try (var c = pool.getConnection(); var st = c.createStatement()) {
                st.executeUpdate("ALTER TABLE sql_moment DROP COLUMN email");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, StateStoreOpeningTest::onItsOwnThread);
        try {
            assertThatThrownBy(store::awaitSchema).hasMessageContaining("sql_moment.email");
        } finally {
            store.close();
        }
    }

    @Test
    void openMigratesBeforeItReturnsAndAFailedMigrationClosesThePoolAndThrows() throws Exception {
        try (StateStore store = StateStore.open(url(), "sa", "", Clock.systemUTC())) {
            assertThat(SchemaHistory.current(store.dataSource())).isTrue();
            store.cursors().put("hubspot-email-events", "c1");
        }
        // a history Flyway refuses: the checksum of the first migration no longer matches the shipped file
        try (StateStore store = StateStore.open(url(), "sa", "", Clock.systemUTC());
             var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = 1 WHERE \"version\" = '1'");
        }
        assertThatThrownBy(() -> StateStore.open(url(), "sa", "", Clock.systemUTC()))
                .isInstanceOf(org.flywaydb.core.api.FlywayException.class).hasMessageContaining("checksum mismatch");
    }
}
