package io.closedloop.flow.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.FlowId;
import io.closedloop.core.PausedSyncException;
import io.closedloop.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path dir;

    private StateStore store;
    private final List<Duration> slept = new ArrayList<>();
    private final List<String> said = new ArrayList<>();
    private Backfill backfill;
    private BackfillTotals totals;

    @BeforeEach
    void open() {
        store = StateStore.open("jdbc:h2:mem:backfill-" + System.nanoTime(), "sa", "", Clock.fixed(NOW, ZoneOffset.UTC));
        totals = new BackfillTotals(() -> 0, () -> 0, () -> 0);
        backfill = new Backfill(store.cursors(), Clock.fixed(NOW, ZoneOffset.UTC), new Backfill.Listener() {
            @Override
            public void window(FlowId source, Instant windowEnd, BackfillTotals t) {
                said.add("window " + windowEnd);
            }

            @Override
            public void paused(String api, Instant until, String reason) {
                said.add("paused " + api + " until " + until);
            }

            @Override
            public void phase(String what) {
            }
        }, slept::add, totals);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSpentBudgetPausesTheStepUntilItRecoversAndNeverFailsIt() {
        AtomicInteger attempts = new AtomicInteger();
        String result = backfill.pausing(() -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new PausedSyncException("salesforce", "SALESFORCE_DAILY_SHARE", "share spent", NOW.plus(Duration.ofMinutes(15)));
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(slept).containsExactly(Duration.ofMinutes(15), Duration.ofMinutes(15));
        assertThat(said).containsExactly("paused salesforce until 2026-11-20T12:15:00Z", "paused salesforce until 2026-11-20T12:15:00Z");
        assertThat(totals.pauses()).isEqualTo(2);
    }

    @Test
    void theSameArgumentsResumeTheStoredRangeAndOthersStartAnewWithTheirCursorsReset() {
        List<FlowId> sources = List.of(FlowId.HUBSPOT_EMAIL_EVENTS);
        Backfill.Range first = new Backfill.Range("since=14d", NOW.minus(Duration.ofDays(14)), NOW, Duration.ofDays(1));
        assertThat(backfill.begin(first, sources)).isEqualTo(first);
        store.cursors().put(Backfill.key(FlowId.HUBSPOT_EMAIL_EVENTS), "123|cursor");
        // relative arguments resolve to later instants a minute on: the stored range wins
        Backfill.Range later = new Backfill.Range("since=14d", NOW.minus(Duration.ofDays(14)).plusSeconds(60), NOW.plusSeconds(60),
                Duration.ofDays(1));
        assertThat(backfill.begin(later, sources)).isEqualTo(first);
        assertThat(store.cursors().get(Backfill.key(FlowId.HUBSPOT_EMAIL_EVENTS))).contains("123|cursor");

        Backfill.Range other = new Backfill.Range("since=30d", NOW.minus(Duration.ofDays(30)), NOW, Duration.ofDays(1));
        assertThat(backfill.begin(other, sources)).isEqualTo(other);
        assertThat(store.cursors().get(Backfill.key(FlowId.HUBSPOT_EMAIL_EVENTS))).contains("");
        assertThat(other.windows()).isEqualTo(30);
    }
}
