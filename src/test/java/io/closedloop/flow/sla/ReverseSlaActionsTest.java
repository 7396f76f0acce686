package io.closedloop.flow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.ContactChange;
import io.closedloop.core.EngagementEvent;
import io.closedloop.state.ReverseSlaClocks;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which engagement events are marketing acting on a handed-back lead, and which are sales' own hand-back. */
class ReverseSlaActionsTest {
    private static final Instant START = Instant.parse("2026-03-03T08:00:00Z");

    private static ReverseSlaClocks.ReverseClock clock(String handedBackStage) {
        return new ReverseSlaClocks.ReverseClock("100003", "00Q1", "recycled", null, handedBackStage, "OPEN", START, START.plusSeconds(3600),
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

    @Test
    void theLeadStatusTheHandBackWroteIsSalesMoveAnyOtherIsMarketings() {
        ContactChange toHandedBack = new ContactChange("100003", "hs_lead_status", "NEW", "OPEN", START.plusSeconds(1));
        ContactChange away = new ContactChange("100003", "hs_lead_status", "OPEN", "IN_PROGRESS", START.plusSeconds(60));
        ContactChange cleared = new ContactChange("100003", "hs_lead_status", "OPEN", null, START.plusSeconds(60));
        assertThat(ReverseSlaActions.reason(toHandedBack, clock("lead"))).isNull();
        assertThat(ReverseSlaActions.reason(away, clock("lead"))).isEqualTo("lead status changed to IN_PROGRESS");
        assertThat(ReverseSlaActions.reason(cleared, clock("lead"))).isEqualTo("lead status changed to (none)");
    }
}
