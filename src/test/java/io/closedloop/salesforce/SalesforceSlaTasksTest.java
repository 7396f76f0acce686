package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.DispositionRules;
import io.closedloop.state.SlaClocks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceSlaTasksTest {
    private static final SlaClocks.SlaClock BREACHED = new SlaClocks.SlaClock("hs-1", "00Q000000000001", "005000000000001",
            Instant.parse("2026-03-03T08:00:00Z"), Instant.parse("2026-03-03T12:00:00Z"), null, null, SlaClocks.Status.RUNNING, null, null);

    private final SalesforceSlaTasks tasks = new SalesforceSlaTasks(null, null, DispositionRules.defaults(),
            Clock.fixed(Instant.parse("2026-03-04T13:00:00Z"), ZoneOffset.UTC), "60.0");

    @Test
    void breachKeysAreOnePerMqlMomentAndOwner() {
        assertThat(SalesforceSlaTasks.breachKey(BREACHED)).isEqualTo("sla-breach:hs-1:2026-03-03T08:00:00Z");
        assertThat(SalesforceSlaTasks.managerBreachKey(BREACHED)).isEqualTo("sla-breach:hs-1:2026-03-03T08:00:00Z:manager");
    }

    @Test
    void theOwnersBreachTaskIsAnOpenHighPriorityTaskDueToday() {
        Map<String, Object> f = tasks.fields(BREACHED, "005000000000001", "sla-breach:key", false);
        assertThat(f).containsEntry("WhoId", "00Q000000000001").containsEntry("OwnerId", "005000000000001")
                .containsEntry("Subject", "Hand-off SLA breached: MQL waiting since Tue 3 Mar 2026 08:00 Z")
                .containsEntry("ActivityDate", "2026-03-04").containsEntry("Status", "Not Started").containsEntry("Priority", "High")
                .containsEntry("TaskSubtype", "Task").containsEntry("Closedloop_Event_Id__c", "sla-breach:key")
                .containsEntry("Description", "This marketing qualified lead became an MQL on Tue 3 Mar 2026 08:00 Z and was due to be"
                        + " worked by Tue 3 Mar 2026 12:00 Z (hand-off SLA, counted in hours).\n"
                        + "Log a call or a task on the record, or move its Lead Status on, to stop the clock.");
    }

    @Test
    void theManagersBreachTaskSaysWhoseRecordItIs() {
        Map<String, Object> f = tasks.fields(BREACHED, "005000000000009", "sla-breach:key:manager", true);
        assertThat(f).containsEntry("OwnerId", "005000000000009");
        assertThat((String) f.get("Description"))
                .endsWith("to stop the clock.\nYou receive this as the manager of the record owner (user 005000000000001).");
    }
}
