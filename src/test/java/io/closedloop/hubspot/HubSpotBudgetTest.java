package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.config.DailyBudget;
import io.closedloop.state.MutableClock;
import io.closedloop.core.PausedSyncException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HubSpot governor against a clock the test moves; sleeping moves the clock too. */
class HubSpotBudgetTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();

    private HubSpotBudget budget(int burst, DailyBudget daily) {
        return new HubSpotBudget(clock, burst, daily, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    private static Classification429 limit(String body, String retryAfter) {
        return new Classification429(HubSpotErrorClassifier.classify(429, body, retryAfter), retryAfter != null);
    }

    private record Classification429(io.closedloop.core.Classification c, boolean header) {
    }

    @Test
    void theCallOverTheBurstWaitsUntilTheOldestCallLeavesTheWindow() {
        HubSpotBudget budget = budget(3, DailyBudget.ofPercent(50));
        for (int i = 0; i < 3; i++) {
            budget.acquire(false);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(sleeps).isEmpty();
        budget.acquire(false);
        // the first call was 3 s ago: its slot frees 7 s from now
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void searchIsLimitedToFourPerSecondApartFromTheBurst() {
        HubSpotBudget budget = budget(2, DailyBudget.ofPercent(50));
        budget.acquire(false);
        budget.acquire(false);
        for (int i = 0; i < 4; i++) {
            budget.acquire(true);
        }
        assertThat(sleeps).isEmpty();
        budget.acquire(true);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterOfA429IsWaitedOutBeforeTheNextCall() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        var limited = limit("{\"policyName\":\"TEN_SECONDLY_ROLLING\"}", "3");
        budget.failed(429, limited.c(), limited.header());
        budget.acquire(false);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aSpentWindowReportedByHubSpotIsWaitedOut() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        budget.acquire(false);
        clock.advance(Duration.ofSeconds(4));
        budget.observe(Map.of("X-HubSpot-RateLimit-Remaining", "0", "X-HubSpot-RateLimit-Interval-Milliseconds", "10000")::get);
        budget.acquire(false);
        // our one call in the window leaves it 6 s from now
        assertThat(sleeps).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void theDailyLimitPausesHubSpotUntilMidnightWithoutCalls() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        var daily = limit("{\"policyName\":\"DAILY\",\"message\":\"You have reached your daily limit.\"}", null);
        budget.failed(429, daily.c(), false);
        assertThatThrownBy(() -> budget.acquire(false)).isInstanceOfSatisfying(PausedSyncException.class, p -> {
            assertThat(p.until()).isEqualTo(Instant.parse("2025-03-11T00:00:00Z"));
            assertThat(p.code()).isEqualTo("DAILY");
        });
        assertThat(budget.pause()).isPresent();
        assertThat(sleeps).isEmpty();
        clock.set(Instant.parse("2025-03-11T00:00:01Z"));
        budget.acquire(false);
        assertThat(budget.pause()).isEmpty();
    }

    @Test
    void aDailyLimitRightAfterTheResetProbesHourlyForAnAccountInAnotherZone() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        var daily = limit("{\"policyName\":\"DAILY\"}", null);
        budget.failed(429, daily.c(), false);
        clock.set(Instant.parse("2025-03-11T00:00:01Z"));
        budget.acquire(false);
        budget.failed(429, daily.c(), false);
        assertThat(budget.pause()).get().extracting(p -> p.until()).isEqualTo(Instant.parse("2025-03-11T01:00:01Z"));
    }

    @Test
    void aSpentDailyBudgetPausesHubSpot() {
        HubSpotBudget budget = budget(100, DailyBudget.ofCalls(3));
        for (int i = 0; i < 3; i++) {
            budget.acquire(false);
        }
        assertThat(budget.remaining()).isZero();
        assertThatThrownBy(() -> budget.acquire(false)).isInstanceOf(PausedSyncException.class)
                .hasMessageContaining("HUBSPOT_DAILY_BUDGET=3");
    }

    @Test
    void aPercentageBudgetFollowsTheAllowanceAndUsageHubSpotReports() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        assertThat(budget.limit()).isEqualTo(125_000);
        budget.observe(Map.of("X-HubSpot-RateLimit-Daily", "1000", "X-HubSpot-RateLimit-Daily-Remaining", "600")::get);
        assertThat(budget.limit()).isEqualTo(500);
        assertThat(budget.remaining()).isEqualTo(100);
        budget.observe(Map.of("X-HubSpot-RateLimit-Daily", "1000", "X-HubSpot-RateLimit-Daily-Remaining", "500")::get);
        assertThatThrownBy(() -> budget.acquire(false)).isInstanceOf(PausedSyncException.class);
    }

    @Test
    void aWaitTooLongToBlockOnPausesInstead() {
        HubSpotBudget budget = budget(100, DailyBudget.ofPercent(50));
        var migrating = HubSpotErrorClassifier.classify(477, "", "120000");
        budget.failed(477, migrating, true);
        assertThatThrownBy(() -> budget.acquire(false)).isInstanceOf(PausedSyncException.class);
        assertThat(sleeps).isEmpty();
    }
}
