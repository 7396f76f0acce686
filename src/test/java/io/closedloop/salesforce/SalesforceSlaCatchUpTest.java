package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceSlaCatchUpTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    private static EngagementEvent mql(Map<String, String> details) {
        return new EngagementEvent("crm:101:mql:1", EngagementEvent.Source.CRM, ActivityType.BECAME_MQL, NOW.minusSeconds(86_400),
                "ada@acme.example", "101", "Marketing qualified lead", null, null, details);
    }

    @Test
    void anMqlFoundAtTheFirstPollStartsAClockOnlyWhileItsSlaStillRuns() {
        EngagementEvent caughtUp = mql(Map.of(EngagementEvent.CATCH_UP, "already an MQL at the first poll"));
        assertThat(SalesforceSlaClockStarter.insideSla(caughtUp, NOW.plusSeconds(3600), NOW)).isTrue();
        assertThat(SalesforceSlaClockStarter.insideSla(caughtUp, NOW.minusSeconds(3600), NOW)).isFalse();
    }

    @Test
    void anMqlSeenAsItHappenedAlwaysStartsItsClockEvenIfWrittenLate() {
        assertThat(SalesforceSlaClockStarter.insideSla(mql(Map.of()), NOW.minusSeconds(3600), NOW)).isTrue();
    }
}
