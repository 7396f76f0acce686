package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On H2 the store takes one writer at a time, and every HubSpot call is counted in it: a call made while a poll records
 * a large chunk must not wait for that transaction, and must still be counted.
 */
class ApiBudgetStoreTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
    private final LocalDate day = LocalDate.parse("2025-03-10");

    @TempDir
    Path dir;

    private StateStore open() {
        return StateStore.open("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "", clock);
    }

    /** Runs {@code during} while another thread holds the store's writer in an open transaction. */
    private static void whileAnotherWriterHoldsTheStore(StateStore store, ThrowingRunnable during) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> store.inTransaction(() -> {
            store.cursors().put("hubspot-email-events", "holding the writer");
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        writer.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            during.run();
        } finally {
            release.countDown();
            writer.join(10_000);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A call counted on another thread, which fails the test if it waits 10 s. */
    private long countOnAnotherThread(StateStore store) throws Exception {
        return CompletableFuture.supplyAsync(() -> store.apiBudgets().countCall("hubspot", day)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallCountedWhileAnotherWriterHoldsTheStoreDoesNotWaitAndIsWrittenOnceTheStoreIsFree() throws Exception {
        try (StateStore store = open()) {
            assertThat(store.apiBudgets().countCall("hubspot", day)).isEqualTo(1);
            // answered while the other transaction is still open, with this call included
            whileAnotherWriterHoldsTheStore(store, () -> assertThat(countOnAnotherThread(store)).isEqualTo(2));
            // the next call finds the store free and writes both
            assertThat(store.apiBudgets().countCall("hubspot", day)).isEqualTo(3);
        }
        try (StateStore again = open()) {
            assertThat(again.apiBudgets().countCall("hubspot", day)).isEqualTo(4);
        }
    }

    @Test
    void callsCountedWhileTheStoreWasBusyAreWrittenWhenItCloses() throws Exception {
        try (StateStore store = open()) {
            whileAnotherWriterHoldsTheStore(store, () -> {
                for (int i = 1; i <= 3; i++) {
                    assertThat(countOnAnotherThread(store)).isEqualTo(i);
                }
            });
        }
        // nothing counted the three since; the close wrote them
        try (StateStore again = open()) {
            assertThat(again.apiBudgets().countCall("hubspot", day)).isEqualTo(4);
            assertThat(again.apiBudgets().countCall("salesforce", day)).isEqualTo(1);
        }
    }
}
