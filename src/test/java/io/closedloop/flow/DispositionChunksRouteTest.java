package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.ShiftedClock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After downtime, the disposition source reads its Leads in chunks of CLOSEDLOOP_POLL_CHUNK through the real route. */
class DispositionChunksRouteTest {
    private static final String SOURCE = "salesforce-dispositions";
    private static final int CHUNK = 100;

    @TempDir
    Path dir;

    @Test
    void rejectionsPiledUpDuringDowntimeAreSentChunkByChunkEachOnce() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (Emulators emulators = new Emulators(dir, clock)) {
            World world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(200), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
            SalesforceOrg org = emulators.salesforce.org();
            List<World.Person> leads = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                    .limit(260).toList();
            assertThat(leads).hasSizeGreaterThan(2 * CHUNK);
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_CHUNK", Integer.toString(CHUNK));
            emulators.startDaemon(env, Map.of());
            emulators.poll(SOURCE);
            emulators.stopDaemon();

            // down while sales rejected every one of them
            for (World.Person p : leads) {
                // one a second, as people work: every chunk then ends between two of them
                clock.advance(Duration.ofSeconds(1));
                org.update("Lead", p.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget",
                        "Rejection_Detail__c", "Frozen"));
            }
            clock.advance(Duration.ofMinutes(10));
            emulators.startDaemon(env, Map.of());
            long queriesBefore = emulators.salesforce.journal().count("salesforce.composite");
            java.time.Instant drainStart = clock.instant();
            emulators.poll(SOURCE);

            Map<String, Long> notesPerContact = emulators.hubspot.portal().notes().stream().flatMap(n -> n.contactIds().stream())
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            for (World.Person p : leads) {
                assertThat(notesPerContact.get(p.hubspotContactId())).as(p.sfLeadId()).isEqualTo(1L);
                assertThat(emulators.hubspot.portal().contact(p.hubspotContactId())).containsEntry("sales_disposition", "rejected");
            }
            // one run a chunk, none holding more than the chunk, each moving the cursor
            List<SyncRuns.SyncRun> runs = emulators.startedStore().runs().recent(SOURCE, 50).stream()
                    .filter(r -> r.status() == SyncRuns.Status.SUCCEEDED).toList();
            List<SyncRuns.SyncRun> drain = runs.stream().filter(r -> !r.startedAt().isBefore(drainStart)).toList();
            assertThat(drain).hasSizeGreaterThanOrEqualTo((int) Math.ceil(leads.size() / (double) CHUNK));
            assertThat(drain).allSatisfy(r -> assertThat(r.counts().read()).isLessThanOrEqualTo(CHUNK));
            assertThat(drain.stream().mapToInt(r -> r.counts().written()).sum()).isEqualTo(leads.size());
            assertThat(TimeWindowCursor.parse(emulators.startedStore().cursors().get(SOURCE).orElseThrow()).polls())
                    .isEqualTo(runs.size());
            // a chunk costs one query call (and its sends), no more
            assertThat(emulators.salesforce.journal().count("salesforce.composite") - queriesBefore).isLessThanOrEqualTo(drain.size() * 2L);

            // nothing is sent again by the next poll
            long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
            emulators.poll(SOURCE);
            assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
        }
    }
}
