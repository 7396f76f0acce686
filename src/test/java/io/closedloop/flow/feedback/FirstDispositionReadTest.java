package io.closedloop.flow.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.state.MutableClock;
import io.closedloop.state.StateStore;
import io.closedloop.state.TimeWindowCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When Flow 1's Lead summaries wait for Flow 2's first read of the dispositions. */
class FirstDispositionReadTest {
    private static final Instant T0 = Instant.parse("2026-11-16T09:30:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicBoolean sourceRuns = new AtomicBoolean(true);
    private StateStore store;

    @BeforeEach
    void open() {
        store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"), "sa", "", clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void cursor(long polls) {
        store.cursors().put(SalesforceDispositionReader.SOURCE, new TimeWindowCursor(T0.minus(Duration.ofDays(14)), polls).serialize());
    }

    @Test
    void holdsUntilTheFirstReadIsCommittedNotWhenItStarts() {
        FirstDispositionRead hold = new FirstDispositionRead(store.cursors(), clock, sourceRuns::get);
        assertThat(hold.getAsBoolean()).as("no cursor yet").isTrue();
        cursor(0);
        assertThat(hold.getAsBoolean()).as("the reader stored its start, nothing read").isTrue();
        cursor(1);
        assertThat(hold.getAsBoolean()).isFalse();
        // released for good: a reset cursor later does not hold Flow 1 again
        cursor(0);
        assertThat(hold.getAsBoolean()).isFalse();
    }

    @Test
    void aRestartWithFlow2AlreadyReadHoldsNothing() {
        cursor(42);
        assertThat(new FirstDispositionRead(store.cursors(), clock, sourceRuns::get).getAsBoolean()).isFalse();
    }

    @Test
    void neverHoldsWhenTheDispositionsSourceDoesNotRun() {
        sourceRuns.set(false);
        assertThat(new FirstDispositionRead(store.cursors(), clock, sourceRuns::get).getAsBoolean()).isFalse();
    }

    @Test
    void aFlow2ThatCannotReadHoldsLeadSummariesAtMostTenMinutes() {
        FirstDispositionRead hold = new FirstDispositionRead(store.cursors(), clock, sourceRuns::get);
        clock.advance(FirstDispositionRead.MAX_HOLD.minusSeconds(1));
        assertThat(hold.getAsBoolean()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(hold.getAsBoolean()).isFalse();
    }
}
