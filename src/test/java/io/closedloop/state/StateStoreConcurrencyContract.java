package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The state store under several writers at once, as the daemon's routes use it; run on H2 and PostgreSQL. */
abstract class StateStoreConcurrencyContract {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    protected final MutableClock clock = new MutableClock(T0);

    /** A fresh, migrated store on an empty database. */
    protected abstract StateStore store();

    private static String sfId(int i) {
        return String.format("00Q%015d", i);
    }

    @Test
    void concurrentQueueWritesFlushesAndIdentityPutsAllSucceed() throws Exception {
        int threads = 6;
        int rounds = 30;
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                Random random = new Random(thread);
                start.await();
                for (int round = 0; round < rounds; round++) {
                    try {
                        writeLikeASink(random, thread + "-" + round);
                        StateStore s = store();
                        s.summaryQueue().remove(s.summaryQueue().next(15));
                    } catch (RuntimeException e) {
                        failures.add(describe(e));
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        assertThat(failures).isEmpty();
    }

    /** What the activity sink records once Salesforce confirmed a batch: ledger, summary queue and identities. */
    private void writeLikeASink(Random random, String batch) {
        List<Integer> people = shuffled(random, 30, 8);
        store().inTransaction(() -> {
            store().ledger().recordActivities("Marketing_Activity__c", people.stream().map(i -> new EventLedger.Activity(
                    "evt-" + batch + "-" + i, "hubspot-email-events", "a00" + i, sfId(i), null, "Email Open", "x", T0)).toList());
            store().summaryQueue().add(people.stream().map(i -> new SummaryQueue.Pending(sfId(i), "Lead")).toList());
            store().identities().putAll(people.stream().map(i -> IdentityMap.Identity.of("hs" + i, "p" + i + "@x.example",
                    sfId(i), null, null, T0)).toList());
        });
        store().identities().rememberResolved(shuffled(random, 30, 8).stream().map(i -> new IdentityMap.Resolved(
                "p" + i + "@x.example", "Lead", sfId(i), null, "005000000000001AAA", T0)).toList());
    }

    private static List<Integer> shuffled(Random random, int of, int take) {
        List<Integer> all = new ArrayList<>(IntStream.range(0, of).boxed().toList());
        Collections.shuffle(all, random);
        return all.subList(0, take);
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                return "SQLState " + sql.getSQLState() + ": " + e.getMessage();
            }
        }
        return e.toString();
    }

    @Test
    void aSummaryQueuedAgainWhileBeingWrittenStaysQueued() {
        SummaryQueue queue = store().summaryQueue();
        queue.add(List.of(new SummaryQueue.Pending(sfId(1), "Lead"), new SummaryQueue.Pending(sfId(2), "Lead")));
        List<SummaryQueue.Pending> read = queue.next(10);
        // a new activity of the first person arrives after its summary was computed, before the queue entry is removed
        queue.add(List.of(new SummaryQueue.Pending(sfId(1), "Lead")));
        queue.remove(read);
        assertThat(queue.contains(sfId(1))).isTrue();
        assertThat(queue.contains(sfId(2))).isFalse();
        queue.remove(queue.next(10));
        assertThat(queue.size()).isZero();
    }

    @Test
    void leadsHeldBackStayQueuedInPlaceWhileContactsAndAccountsAreRead() {
        SummaryQueue queue = store().summaryQueue();
        queue.add(List.of(new SummaryQueue.Pending(sfId(1), "Lead")));
        clock.advance(java.time.Duration.ofSeconds(1));
        queue.add(List.of(new SummaryQueue.Pending("003000000000000001", "Contact"), new SummaryQueue.Pending("001000000000000001", "Account")));
        assertThat(queue.nextExcept("Lead", 10)).extracting(SummaryQueue.Pending::sobject).containsExactly("Account", "Contact");
        queue.remove(queue.nextExcept("Lead", 10));
        assertThat(queue.next(10)).extracting(SummaryQueue.Pending::sfId).containsExactly(sfId(1));
    }

    @Test
    void aFailedTransactionLeavesNeitherLedgerNorQueueRows() {
        RuntimeException boom = new IllegalStateException("boom");
        try {
            store().inTransaction(() -> {
                store().ledger().recordActivities("Marketing_Activity__c", List.of(new EventLedger.Activity("evt-1",
                        "hubspot-email-events", "a001", sfId(1), null, "Email Open", "x", T0)));
                store().summaryQueue().add(List.of(new SummaryQueue.Pending(sfId(1), "Lead")));
                throw boom;
            });
        } catch (IllegalStateException e) {
            assertThat(e).isSameAs(boom);
        }
        assertThat(store().ledger().existing(List.of("evt-1"))).isEmpty();
        assertThat(store().summaryQueue().size()).isZero();
        // the store is usable afterwards, outside and inside a transaction
        store().inTransaction(() -> store().summaryQueue().add(List.of(new SummaryQueue.Pending(sfId(2), "Lead"))));
        assertThat(store().summaryQueue().contains(sfId(2))).isTrue();
    }
}
