package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.SyncRuns;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.ShiftedClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After downtime, the email events source reads its window in chunks of CLOSEDLOOP_POLL_CHUNK events, newest first
 * (hubspot-api.md §2.1), writes each through the real routes and moves its cursor after each one; a write that fails
 * in the middle of the drain loses and repeats nothing.
 */
class PollChunksAfterDowntimeRouteTest {
    private static final int PEOPLE = 100;
    private static final int EVENTS = 2_300;
    private static final int CHUNK = 500;
    private static final String SOURCE = "hubspot-email-events";

    @TempDir
    Path dir;

    @Test
    void aWindowAfterDowntimeIsWrittenChunkByChunkAndAFailedThirdChunkLosesAndRepeatsNothing() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                emails.add("person" + i + "@chunks.example");
                org.insert("Lead", Map.of("LastName", "Person " + i, "Email", emails.get(i), "Company", "Chunks Co"));
            }
            emulators.hubspot.portal().addEmailCampaign(7L, "Chunks", "Chunks");
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_CHUNK", Integer.toString(CHUNK));
            // each chunk is one Bulk job, so "the third chunk's write" is the third job's upload
            env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100");

            emulators.startDaemon(env, Map.of());
            emulators.poll(SOURCE);
            long lastPoll = clock.millis();
            emulators.stopDaemon();

            // three hours down, while HubSpot kept recording events
            clock.advance(Duration.ofHours(3));
            long span = clock.millis() - 60_000 - lastPoll;
            for (int e = 0; e < EVENTS; e++) {
                emulators.hubspot.portal().addEmailEvent(new EmailEvent("c" + e, lastPoll + span * e / EVENTS, e % 2 == 0 ? "OPEN" : "CLICK",
                        emails.get(e % PEOPLE), 7L, Map.of()));
            }
            emulators.salesforce.faults().script("salesforce.bulk.upload", null, null)
                    .failRate("salesforce.bulk.upload", Fault.serverError(503), 1.0);
            emulators.startDaemon(env, Map.of());
            emulators.poll(SOURCE);

            // two chunks are written and committed: the cursor keeps the part-read window, its watermark where it was
            TimeWindowCursor cut = TimeWindowCursor.parse(emulators.startedStore().cursors().get(SOURCE).orElseThrow());
            assertThat(cut.draining()).isTrue();
            assertThat(cut.watermark().toEpochMilli()).isLessThanOrEqualTo(lastPoll);
            assertThat(cut.polls()).isEqualTo(3);
            long landed = count(org);
            assertThat(landed).isBetween(2L * CHUNK - 2, 2L * CHUNK);
            // and the newest of them: a chunk is read newest first
            assertThat(org.query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c")).isNotEmpty();
            List<SyncRuns.SyncRun> runs = emulators.startedStore().runs().recent(SOURCE, 10);
            assertThat(runs.get(0).status()).isEqualTo(SyncRuns.Status.FAILED);

            emulators.salesforce.faults().clear();
            long jobsBefore = emulators.salesforce.journal().count("salesforce.bulk.create");
            emulators.poll(SOURCE);

            List<Map<String, Object>> all = org.query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c");
            Map<Object, Long> perEvent = all.stream().collect(Collectors.groupingBy(r -> r.get("Closedloop_Event_Id__c"), Collectors.counting()));
            assertThat(perEvent).hasSize(EVENTS);
            assertThat(perEvent.values()).allMatch(n -> n == 1L);
            TimeWindowCursor done = TimeWindowCursor.parse(emulators.startedStore().cursors().get(SOURCE).orElseThrow());
            assertThat(done.draining()).isFalse();
            assertThat(done.watermark()).isAfter(clock.instant().minus(Duration.ofMinutes(1)));
            // the rest took one job a chunk, no more: what the first two chunks wrote is not written again
            long rest = EVENTS - landed;
            assertThat(emulators.salesforce.journal().count("salesforce.bulk.create") - jobsBefore)
                    .isBetween((long) Math.ceil(rest / (double) CHUNK), (long) Math.ceil(rest / (double) (CHUNK - 1)));
            // every chunk was a run of its own and none read more than the chunk
            List<SyncRuns.SyncRun> succeeded = emulators.startedStore().runs().recent(SOURCE, 50).stream()
                    .filter(r -> r.status() == SyncRuns.Status.SUCCEEDED).toList();
            assertThat(succeeded).hasSizeGreaterThanOrEqualTo(1 + (int) Math.ceil(EVENTS / (double) CHUNK));
            assertThat(succeeded).allSatisfy(r -> assertThat(r.counts().read()).isLessThanOrEqualTo(CHUNK));
            assertThat(done.polls()).isEqualTo(succeeded.size());
        }
    }

    private static long count(SalesforceOrg org) {
        return ((Number) org.query("SELECT COUNT() FROM Marketing_Activity__c").get(0).get("count")).longValue();
    }
}
