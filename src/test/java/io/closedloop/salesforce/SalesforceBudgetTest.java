package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.state.MutableClock;
import io.closedloop.core.PausedSyncException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Closedloop's share of the org's allocation, read from Sforce-Limit-Info. */
class SalesforceBudgetTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
    private final SalesforceBudget budget = new SalesforceBudget(clock, 50);

    @Test
    void theShareIsUnknownUntilSalesforceReportsItsUsage() {
        assertThat(budget.limit()).isEqualTo(-1);
        budget.acquire();
        budget.observe("api-usage=10/1000");
        assertThat(budget.limit()).isEqualTo(500);
        assertThat(budget.remaining()).isEqualTo(490);
        assertThat(budget.pause()).isEmpty();
    }

    @Test
    void aSpentSharePausesEveryCallUntilTheRecheck() {
        budget.observe("api-usage=500/1000");
        assertThatThrownBy(budget::acquire).isInstanceOfSatisfying(PausedSyncException.class, p -> {
            assertThat(p.api()).isEqualTo("salesforce");
            assertThat(p.code()).isEqualTo("SALESFORCE_DAILY_SHARE");
            assertThat(p).hasMessageContaining("used 500 of 1000");
        });
        assertThat(budget.remaining()).isZero();
    }

    @Test
    void onlyOneProbeCallPerRecheckAndItsHeaderResumesTheFlows() {
        budget.observe("api-usage=600/1000");
        clock.advance(SalesforceBudget.RECHECK.plusSeconds(1));
        budget.acquire();
        // a second caller while the probe is out still waits
        assertThatThrownBy(budget::acquire).isInstanceOf(PausedSyncException.class);
        budget.observe("api-usage=600/1000");
        assertThatThrownBy(budget::acquire).isInstanceOf(PausedSyncException.class);
        clock.advance(SalesforceBudget.RECHECK.plusSeconds(1));
        budget.acquire();
        budget.observe("api-usage=120/1000");
        budget.acquire();
        assertThat(budget.pause()).isEmpty();
    }

    @Test
    void requestLimitExceededPausesForTheRecheckInterval() {
        PausedSyncException paused = budget.limitExceeded("Salesforce REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
        assertThat(paused.until()).isEqualTo(clock.instant().plus(SalesforceBudget.RECHECK));
        assertThatThrownBy(budget::acquire).isInstanceOf(PausedSyncException.class).hasMessageContaining("REQUEST_LIMIT_EXCEEDED");
        clock.advance(Duration.ofMinutes(16));
        budget.acquire();
    }

    @Test
    void aHeaderWithoutUsageChangesNothing() {
        budget.observe("per-app-api-usage=3/250(appName=x)");
        budget.observe(null);
        assertThat(budget.limit()).isEqualTo(-1);
    }
}
