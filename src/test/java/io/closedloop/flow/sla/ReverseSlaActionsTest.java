package io.closedloop.flow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.state.ReverseSlaClocks;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which engagement events are marketing acting on a handed-back lead, and which are sales' own hand-back. */
class ReverseSlaActionsTest {
    private static final Instant START = Instant.parse("2026-03-03T08:00:00Z");

    private static ReverseSlaClocks.ReverseClock clock(String handedBackStage) {
        return new ReverseSlaClocks.ReverseClock("100003", "00Q1", "recycled", null, handedBackStage, START, START.plusSeconds(3600),
                ReverseSlaClocks.Status.RUNNING, null, null, null, null, null, null, null);
    }

    private static EngagementEvent stageChange(String from, String to) {
        return new EngagementEvent("crm:100003:stage:1", EngagementEvent.Source.CRM, ActivityType.LIFECYCLE_CHANGE, START.plusSeconds(60),
                null, "100003", from + " → " + to, null, null, Map.of());
    }

    @Test
    void theStageTheHandBackSetIsSalesMoveAnyOtherIsMarketings() {
        assertThat(ReverseSlaActions.reason(stageChange("salesqualifiedlead", "lead"), clock("lead"))).isNull();
        assertThat(ReverseSlaActions.reason(stageChange("lead", "subscriber"), clock("lead"))).isEqualTo("lifecycle stage changed to subscriber");
        // the hand-back left the stage as it was (forward only): marketing moving it back to lead is marketing's action
        assertThat(ReverseSlaActions.reason(stageChange("salesqualifiedlead", "lead"), clock(null))).isEqualTo("lifecycle stage changed to lead");
    }

    @Test
    void aNurtureListJoinIsMarketingsAction() {
        EngagementEvent joined = new EngagementEvent("list:4242:100003:joined:1", EngagementEvent.Source.LIST, ActivityType.LIST_JOINED,
                START.plusSeconds(60), null, "100003", "Nurture", null, null, Map.of("listId", "4242"));
        assertThat(ReverseSlaActions.reason(joined, clock("lead"))).isEqualTo("joined nurture list 4242");
    }
}
