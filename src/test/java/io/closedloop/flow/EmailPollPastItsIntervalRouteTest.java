package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll of the email events that runs past {@code CLOSEDLOOP_POLL_INTERVAL} (Salesforce answers slowly, the source is
 * behind): the next window is read from HubSpot when the interval ends, while this poll's last chunk is still being
 * written, and the next poll writes it without reading again. The cursor still moves only at each commit. A poll sent
 * to the route by hand, with no trigger behind it, reads nothing ahead (every other route test polls that way).
 */
class EmailPollPastItsIntervalRouteTest {
    private static final String SOURCE = "hubspot-email-events";

    @TempDir
    Path dir;

    @Test
    void theNextWindowIsReadWhileTheLastChunkIsWrittenAndTheNextPollWritesItWithoutReadingAgain() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            org.insert("Lead", Map.of("LastName", "Ahead", "Email", "ahead@interval.example", "Company", "Interval Co"));
            emulators.hubspot.portal().addEmailCampaign(7L, "Interval", "Interval");
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_INTERVAL", "2s");
            var runtime = emulators.startDaemon(env, Map.of());
            // the start-up schema check is done: every slow call below is one of the polls' own
            runtime.camelContext().getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("old-1", clock.millis() - 30_000, "OPEN", "ahead@interval.example",
                    7L, Map.of()));
            // created after the first window's end (a settle time before the poll) and before the second's
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("new-1", clock.millis(), "CLICK", "ahead@interval.example", 7L,
                    Map.of()));
            // every Composite call (identity query, activity write) takes 2 s: the poll outlasts its 2 s interval
            emulators.salesforce.faults().latency("salesforce.composite", () -> Duration.ofSeconds(2));

            pollAsTheTriggerDoes(runtime, emulators);

            SyncRuns.SyncRun first = emulators.startedStore().runs().recent(SOURCE, 1).get(0);
            assertThat(first.status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
            assertThat(first.counts().written()).as("old-1 only").isEqualTo(1);
            List<CallJournal.Call> reads = emulators.hubspot.journal().calls().stream()
                    .filter(c -> c.endpoint().equals("hubspot.email.events")).toList();
            CallJournal.Call ahead = reads.get(reads.size() - 1);
            // the window's own read came first; the next one when the 2 s interval ended, before this poll's commit
            assertThat(reads).hasSize(2);
            assertThat(ahead.at()).as("the next window was read before this poll's commit")
                    .isAfter(reads.get(0).at().plusSeconds(1)).isBefore(first.finishedAt());
            assertThat(eventIds(org)).containsExactly("old-1");

            // Salesforce is fast again: the next poll ends within its interval and reads nothing ahead for the one after
            emulators.salesforce.faults().clear();
            pollAsTheTriggerDoes(runtime, emulators);

            SyncRuns.SyncRun second = emulators.startedStore().runs().recent(SOURCE, 1).get(0);
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
            assertThat(second.counts().written()).isEqualTo(1);
            assertThat(second.counts().hubspotCalls()).as("the read ahead's calls, counted once").isPositive();
            assertThat(emulators.hubspot.journal().count("hubspot.email.events")).as("no read of its own").isEqualTo(reads.size());
            assertThat(eventIds(org)).containsExactlyInAnyOrder("old-1", "new-1");

            // a poll sent by hand runs past its interval too, but no next poll is due after it: it reads only its own window
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("new-2", clock.millis() - 2_000, "CLICK", "ahead@interval.example",
                    7L, Map.of()));
            emulators.salesforce.faults().latency("salesforce.composite", () -> Duration.ofSeconds(2));
            emulators.poll(SOURCE);
            assertThat(eventIds(org)).containsExactlyInAnyOrder("old-1", "new-1", "new-2");
            assertThat(emulators.hubspot.journal().count("hubspot.email.events")).as("its own read only").isEqualTo(reads.size() + 1);
        }
    }

    /**
     * A poll as its Quartz trigger sends it, with camel-quartz's {@code fireTime} header (tests turn the triggers off):
     * a poll sent by hand has no next poll due after it and reads nothing ahead.
     */
    private static void pollAsTheTriggerDoes(io.closedloop.runtime.ClosedloopRuntime runtime, Emulators emulators) throws Exception {
        try (var template = runtime.camelContext().createProducerTemplate()) {
            template.sendBodyAndHeader("direct:" + SOURCE + "-poll", null, "fireTime", new java.util.Date());
        }
        emulators.awaitSummaries();
    }

    /** The HubSpot event ids written, from each activity's {@code email:<id>:<created>} key. */
    private static List<String> eventIds(SalesforceOrg org) {
        return org.query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c").stream()
                .map(r -> String.valueOf(r.get("Closedloop_Event_Id__c")).split(":")[1]).toList();
    }
}
