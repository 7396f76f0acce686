package io.closedloop.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.config.DailyBudget;
import io.closedloop.core.PausedSyncException;
import io.closedloop.hubspot.HubSpotBudget;
import io.closedloop.salesforce.SalesforceBudget;
import io.closedloop.state.MutableClock;
import io.closedloop.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas' governors over one state store spend one budget: calls add up, and a pause one sets stops the other. */
class SharedApiBudgetTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));

    @TempDir
    Path dir;

    private StateStore store() {
        return StateStore.open("jdbc:h2:file:" + dir.resolve("state"), "sa", "", clock);
    }

    @Test
    void hubSpotCallsOfBothReplicasCountAgainstOneDailyBudget() {
        try (StateStore store = store()) {
            HubSpotBudget a = new HubSpotBudget(clock, 100, DailyBudget.ofCalls(10), d -> clock.advance(d), store.apiBudgets());
            HubSpotBudget b = new HubSpotBudget(clock, 100, DailyBudget.ofCalls(10), d -> clock.advance(d), store.apiBudgets());
            for (int i = 0; i < 6; i++) {
                a.acquire(false);
            }
            for (int i = 0; i < 4; i++) {
                b.acquire(false);
            }
            assertThat(store.apiBudgets().countCall("hubspot", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))).isEqualTo(11);
            // ten calls between them: the budget is spent for both, not six and four of ten each
            assertThatThrownBy(() -> b.acquire(false)).isInstanceOf(PausedSyncException.class).hasMessageContaining("HUBSPOT_DAILY_BUDGET");
            assertThatThrownBy(() -> a.acquire(false)).isInstanceOf(PausedSyncException.class).hasMessageContaining("calls paused until");
            assertThat(a.pause()).isPresent();
        }
    }

    @Test
    void aSalesforceShareSpentOnOneReplicaPausesTheOtherUntilAProbeResumesBoth() {
        try (StateStore store = store()) {
            SalesforceBudget leader = new SalesforceBudget(clock, 50, store.apiBudgets());
            SalesforceBudget next = new SalesforceBudget(clock, 50, store.apiBudgets());
            leader.acquire();
            leader.observe("api-usage=500/1000");
            assertThatThrownBy(leader::acquire).isInstanceOf(PausedSyncException.class);
            // the next leader never saw a header, and still holds back
            assertThatThrownBy(next::acquire).isInstanceOf(PausedSyncException.class).hasMessageContaining("Salesforce daily API share spent");

            clock.advance(SalesforceBudget.RECHECK.plus(Duration.ofSeconds(1)));
            next.acquire();
            // the probe's answer: usage fell below the share
            next.observe("api-usage=100/1000");
            assertThat(store.apiBudgets().pause("salesforce")).isEmpty();
            next.acquire();
        }
    }
}
