package io.closedloop.flow;

import io.closedloop.core.FlowId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.core.ActivityType;
import io.closedloop.core.ContactProfile;
import io.closedloop.core.EngagementBatch;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.PolledSource;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.core.SourceRead;
import io.closedloop.state.MutableClock;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The frame around every polled source: run guard, call counting, the kept first start, commit only after the write. */
class PolledSourceRunnerTest {
    private static final FlowId FLOW = FlowId.HUBSPOT_EMAIL_EVENTS;
    private static final String SOURCE = FLOW.key();
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final StateStore store = StateStore.open("jdbc:h2:mem:runner" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", clock);
    private final AtomicLong calls = new AtomicLong(100);
    /** Read by the runner's read-ahead thread too. */
    private final List<String> cursorsSeen = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** A source whose first start is "start=<now>" and whose read is {@code body}, after spending two calls. */
    private PolledSourceRunner runner(BiFunction<String, Instant, SourceRead> body) {
        return runner(body, false);
    }

    private PolledSourceRunner runner(BiFunction<String, Instant, SourceRead> body, boolean readsAhead) {
        return runner(body, readsAhead, Duration.ZERO);
    }

    private PolledSourceRunner runner(BiFunction<String, Instant, SourceRead> body, boolean readsAhead, Duration pollInterval) {
        return new PolledSourceRunner(store, clock, new PolledSource() {
            @Override
            public boolean readsAhead() {
                return readsAhead;
            }

            @Override
            public FlowId source() {
                return FLOW;
            }

            @Override
            public String start(String stored, Instant now) {
                return stored.isEmpty() ? "start=" + now.toEpochMilli() : stored;
            }

            @Override
            public SourceRead read(String cursor, Instant now) {
                cursorsSeen.add(cursor);
                calls.addAndGet(2);
                return body.apply(cursor, now);
            }
        }, calls::get, pollInterval);
    }

    private static EngagementEvent event(String id) {
        return new EngagementEvent(id, EngagementEvent.Source.EMAIL, ActivityType.EMAIL_OPEN, NOW, "a@acme.example", null, "Campaign",
                null, null, Map.of());
    }

    private SyncRuns.SyncRun lastRun() {
        return store.runs().recent(SOURCE, 1).get(0);
    }

    @Test
    void aBatchCarriesTheReadTheRunAndTheCallsItSpent() {
        ContactProfile profile = new ContactProfile("a@acme.example", "1", 40, NOW, null);
        EngagementBatch batch = runner((cursor, now) -> SourceRead.of(List.of(event("e1")), "next")
                .countedOnly(Map.of("SENT", 3L)).profiles(List.of(profile))).read();

        assertThat(batch.source()).isEqualTo(SOURCE);
        assertThat(batch.events()).extracting(EngagementEvent::id).containsExactly("e1");
        assertThat(batch.countedOnly()).containsExactly(Map.entry("SENT", 3L));
        assertThat(batch.profiles()).containsExactly(profile);
        assertThat(batch.nextCursor()).isEqualTo("next");
        assertThat(batch.hubspotCalls()).isEqualTo(2);
        assertThat(batch.runId()).isEqualTo(lastRun().id());
        assertThat(lastRun().status()).isEqualTo(SyncRuns.Status.RUNNING);
    }

    @Test
    void theFirstWindowStartIsKeptAtOnceSoACrashBeforeTheCommitDoesNotSlideIt() {
        PolledSourceRunner runner = runner((cursor, now) -> SourceRead.of(List.of(), "moved"));
        runner.read();
        assertThat(store.cursors().get(SOURCE)).contains("start=" + NOW.toEpochMilli());

        // the daemon died before the commit: the next poll starts where the first one did
        clock.advance(Duration.ofMinutes(10));
        runner.read();
        assertThat(cursorsSeen).containsExactly("start=" + NOW.toEpochMilli(), "start=" + NOW.toEpochMilli());
    }

    @Test
    void theCursorMovesOnlyWhenTheCheckpointCommitsAfterTheWrite() {
        store.cursors().put(SOURCE, "stored");
        List<String> committed = new ArrayList<>();
        EngagementBatch batch = runner((cursor, now) -> SourceRead.of(List.of(event("e1")), "next")
                .onCommit(() -> committed.add(store.cursors().get(SOURCE).orElseThrow()))).read();

        assertThat(cursorsSeen).containsExactly("stored");
        assertThat(store.cursors().get(SOURCE)).contains("stored");
        assertThat(committed).isEmpty();

        new SyncCheckpoint(store).commit(batch);
        // the reader's own state is saved before the cursor moves
        assertThat(committed).containsExactly("stored");
        assertThat(store.cursors().get(SOURCE)).contains("next");
        assertThat(lastRun().status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(lastRun().counts().read()).isEqualTo(1);
        assertThat(lastRun().counts().hubspotCalls()).isEqualTo(2);
    }

    @Test
    void aReadThatFailsEndsItsRunAsFailedWithTheReasonAndLeavesTheCursor() {
        store.cursors().put(SOURCE, "stored");
        PolledSourceRunner runner = runner((cursor, now) -> {
            throw new RetriableSyncException("HTTP_503", "HubSpot answered 503", null);
        });

        assertThatThrownBy(runner::read).isInstanceOf(RetriableSyncException.class);
        assertThat(lastRun().status()).isEqualTo(SyncRuns.Status.FAILED);
        assertThat(lastRun().error()).contains("HubSpot answered 503");
        assertThat(store.cursors().get(SOURCE)).contains("stored");
    }

    /** Chunk c1 says there is more; chunk c2 ends the window and gives {@code c2Reads} a permit each time it is read. */
    private PolledSourceRunner twoChunks(java.util.concurrent.Semaphore c2Reads) {
        return runner((cursor, now) -> {
            if (cursor.equals("c1")) {
                return SourceRead.of(List.of(event("e1")), "c2").more(true);
            }
            c2Reads.release();
            return SourceRead.of(List.of(event("e2")), "c3");
        }, true);
    }

    private static boolean aheadRead(java.util.concurrent.Semaphore c2Reads) throws InterruptedException {
        return c2Reads.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aReaderThatReadsAheadHasTheNextChunkReadWhileTheSinkWritesThisOneAndItsCursorMovesOnlyAtItsCommit() throws Exception {
        store.cursors().put(SOURCE, "c1");
        java.util.concurrent.Semaphore c2Reads = new java.util.concurrent.Semaphore(0);
        PolledSourceRunner runner = twoChunks(c2Reads);

        EngagementBatch first = runner.read();
        // nothing but the runner's own thread reads c2: the first batch is not even committed yet
        assertThat(aheadRead(c2Reads)).as("c2 read ahead").isTrue();
        assertThat(first.more()).isTrue();
        assertThat(store.cursors().get(SOURCE)).contains("c1");

        new SyncCheckpoint(store).commit(first);
        EngagementBatch second = runner.read();

        assertThat(second.events()).extracting(EngagementEvent::id).containsExactly("e2");
        assertThat(second.hubspotCalls()).as("the calls of the read ahead, counted once").isEqualTo(2);
        assertThat(second.more()).isFalse();
        assertThat(cursorsSeen).as("c2 read once").containsExactly("c1", "c2");
        new SyncCheckpoint(store).commit(second);
        assertThat(store.cursors().get(SOURCE)).contains("c3");
    }

    @Test
    void aChunkReadAheadForACursorThatIsNotTheNextOrThatIsStaleIsDroppedAndTheStoredCursorReadAgain() throws Exception {
        store.cursors().put(SOURCE, "c1");
        java.util.concurrent.Semaphore c2Reads = new java.util.concurrent.Semaphore(0);
        PolledSourceRunner runner = twoChunks(c2Reads);

        runner.read();
        assertThat(aheadRead(c2Reads)).isTrue();
        // the write of c1 failed: no commit, and the next poll starts from c1 again
        EngagementBatch again = runner.read();
        assertThat(again.events()).extracting(EngagementEvent::id).containsExactly("e1");
        assertThat(aheadRead(c2Reads)).isTrue();

        new SyncCheckpoint(store).commit(again);
        // a read ahead older than a minute (the poll stopped between chunks) is read again
        clock.advance(PolledSourceRunner.AHEAD_FRESH.plusSeconds(1));
        EngagementBatch late = runner.read();

        assertThat(late.events()).extracting(EngagementEvent::id).containsExactly("e2");
        assertThat(cursorsSeen).containsExactly("c1", "c2", "c1", "c2", "c2");
    }

    /** A permit for each read of window w2. */
    private final java.util.concurrent.Semaphore w2Reads = new java.util.concurrent.Semaphore(0);

    /** Windows of one chunk each, from the stored w1: w1, then w2, …; each read of w2 gives {@link #w2Reads} a permit. */
    private PolledSourceRunner windowsFromW1(Duration pollInterval) {
        store.cursors().put(SOURCE, "w1");
        return runner((cursor, now) -> {
            int n = Integer.parseInt(cursor.substring(1));
            if (n == 2) {
                w2Reads.release();
            }
            return SourceRead.of(List.of(event("e" + n)), "w" + (n + 1));
        }, true, pollInterval);
    }

    @Test
    void aPollPastItsIntervalHasTheNextWindowReadWhileItsLastChunkIsWrittenAndItsCursorMovesOnlyAtItsCommit() throws Exception {
        PolledSourceRunner runner = windowsFromW1(Duration.ofMillis(200));

        EngagementBatch first = runner.read(Instant.now());
        assertThat(first.more()).isFalse();
        // the poll's last chunk is still being written when its interval ends: the next window is read meanwhile
        assertThat(aheadRead(w2Reads)).as("w2 read before w1's commit").isTrue();
        assertThat(store.cursors().get(SOURCE)).contains("w1");

        new SyncCheckpoint(store).commit(first);
        EngagementBatch second = runner.read(Instant.now());

        assertThat(second.events()).extracting(EngagementEvent::id).containsExactly("e2");
        assertThat(second.hubspotCalls()).as("the calls of the read ahead, counted once").isEqualTo(2);
        assertThat(cursorsSeen).as("w2 read once").containsExactly("w1", "w2");
        new SyncCheckpoint(store).commit(second);
        assertThat(store.cursors().get(SOURCE)).contains("w3");
    }

    @Test
    void aPollThatEndsWithinItsIntervalLeavesTheNextWindowToTheNextPollsOwnRead() throws Exception {
        PolledSourceRunner runner = windowsFromW1(Duration.ofMillis(500));

        new SyncCheckpoint(store).commit(runner.read(Instant.now()));
        // written in time: nothing is read early, so the next window ends as late as the next poll allows
        assertThat(w2Reads.tryAcquire(1500, java.util.concurrent.TimeUnit.MILLISECONDS)).as("w2 read early").isFalse();

        clock.advance(Duration.ofMillis(500));
        EngagementBatch next = runner.read(Instant.now());
        assertThat(next.events()).extracting(EngagementEvent::id).containsExactly("e2");
        assertThat(cursorsSeen).containsExactly("w1", "w2");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aPollThatComesBeforeTheNextWindowsReadStartedReadsItItselfAndTheWaitingReadIsDropped() throws Exception {
        // the next window's read would wait ten minutes; the next poll comes long before
        PolledSourceRunner runner = windowsFromW1(Duration.ofMinutes(10));

        EngagementBatch first = runner.read(Instant.now());
        new SyncCheckpoint(store).commit(first);
        EngagementBatch next = runner.read(Instant.now());

        assertThat(next.events()).extracting(EngagementEvent::id).containsExactly("e2");
        assertThat(w2Reads.availablePermits()).isEqualTo(1);
        assertThat(cursorsSeen).containsExactly("w1", "w2");
    }

    @Test
    void aReadOutsideAPollReadsNoNextWindowAhead() throws Exception {
        PolledSourceRunner runner = windowsFromW1(Duration.ofMillis(100));

        runner.read();
        assertThat(w2Reads.tryAcquire(1, java.util.concurrent.TimeUnit.SECONDS)).as("w2 read").isFalse();
        assertThat(cursorsSeen).containsExactly("w1");
    }

    @Test
    void aChunkReadAheadIsPrefetchedOnTheReadAheadThreadBeforeThePollTakesIt() throws Exception {
        store.cursors().put(SOURCE, "c1");
        java.util.concurrent.Semaphore c2Reads = new java.util.concurrent.Semaphore(0);
        List<String> prefetched = java.util.Collections.synchronizedList(new ArrayList<>());
        PolledSourceRunner runner = twoChunks(c2Reads).prefetching(read -> prefetched.add(
                read.events().get(0).id() + " on " + Thread.currentThread().getName().replaceAll("-\\d+$", "")));

        EngagementBatch first = runner.read();
        new SyncCheckpoint(store).commit(first);
        EngagementBatch second = runner.read();

        assertThat(second.events()).extracting(EngagementEvent::id).containsExactly("e2");
        // the poll's own read of c1 is not prefetched: its write makes the lookups at once anyway
        assertThat(prefetched).containsExactly("e2 on closedloop-read-ahead-" + SOURCE);
    }
}
