package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.state.StateStore;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementBatch;
import io.closedloop.core.EngagementEvent;
import io.closedloop.flow.PolledSourceRunner;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contact search walk against the emulator's result cap (hubspot-api.md §4 "10,000 result cap"). */
class HubSpotContactChangeReaderTest {
    private static final int CAP = 1_000;
    private static final int CONTACTS = 2_500;

    @TempDir
    Path dir;

    /** A clock that moves one millisecond each time it is read, so every contact gets its own modification time. */
    static final class TickingClock extends Clock {
        private final AtomicLong millis;

        TickingClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndIncrement());
        }
    }

    private List<String> seeded(HubSpotEmulator hubspot) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            ids.add(hubspot.portal().createContact(Map.of("email", "p" + i + "@walk.example", "hubspotscore", Integer.toString(i % 50))));
        }
        return ids;
    }

    private EngagementBatch readOnce(HubSpotEmulator hubspot, Clock clock, StateStore store) throws Exception {
        EngagementBatch batch = read(hubspot, clock, store);
        batch.runCommitHook();
        return batch;
    }

    /** One poll's read, without the checkpoint: as if the daemon died after writing the batch. */
    private EngagementBatch read(HubSpotEmulator hubspot, Clock clock, StateStore store) throws Exception {
        return read(hubspot, clock, store, io.closedloop.core.PolledSource.CHUNK);
    }

    private EngagementBatch read(HubSpotEmulator hubspot, Clock clock, StateStore store, int chunk) throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            HubSpotClient client = new HubSpotClient(context, TestSettings.settings(dir, env));
            PolledSourceRunner reader = new PolledSourceRunner(store, clock, new HubSpotContactChangeReader(client, store.contactStates(),
                    new HubSpotContactChangeReader.Window(StartFrom.ago(Duration.ofDays(1)), Duration.ofSeconds(60), CAP),
                    HubSpotContactChangeReader.MqlDefinition.defaults(), chunk), client::calls);
            return reader.read();
        }
    }

    @Test
    void moreContactsThanTheSearchCapAreAllReadByRestartingFromTheLastModifiedTimeSeen() throws Exception {
        Clock clock = new TickingClock(Instant.now().minusSeconds(600));
        try (HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)
                .withSearchResultCap(CAP).withSearchPerSecond(10_000).withBurstPer10s(100_000)).start(0);
             StateStore store = StateStore.open("jdbc:h2:mem:walk1;DB_CLOSE_DELAY=-1", "sa", "", Clock.systemUTC())) {
            List<String> ids = seeded(hubspot);
            readOnce(hubspot, Clock.systemUTC(), store);
            assertThat(store.contactStates().find(ids)).hasSize(CONTACTS);
            // one page per 200 contacts, plus one page re-read at each restart; never a 400 from paging past the cap
            long searches = hubspot.journal().count("hubspot.contacts.search");
            assertThat(searches).isBetween((long) Math.ceil(CONTACTS / 200.0), (long) Math.ceil(CONTACTS / 200.0) + CONTACTS / CAP + 1);
        }
    }

    @Test
    void aLongWindowIsReadInChunksThatEachMoveTheCursorAndTheBaselineCarriesOverEveryChunk() throws Exception {
        Clock clock = new TickingClock(Instant.now().minusSeconds(600));
        try (HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)
                .withSearchResultCap(CAP).withSearchPerSecond(10_000).withBurstPer10s(100_000)).start(0);
             StateStore store = StateStore.open("jdbc:h2:mem:walk3;DB_CLOSE_DELAY=-1", "sa", "", Clock.systemUTC())) {
            List<String> ids = seeded(hubspot);
            List<String> cursors = new ArrayList<>();
            EngagementBatch batch;
            do {
                batch = readOnce(hubspot, Clock.systemUTC(), store, 500);
                // what the checkpoint does once the chunk is written
                store.cursors().put("hubspot-contact-changes", batch.nextCursor());
                cursors.add(batch.nextCursor());
                // a chunk stops at the end of the page (200) that brought it to 500 contacts past the watermark
                assertThat(store.contactStates().find(ids).size()).isLessThanOrEqualTo((500 + 199) * cursors.size());
            } while (batch.more());
            assertThat(store.contactStates().find(ids)).hasSize(CONTACTS);
            assertThat(cursors).hasSizeGreaterThanOrEqualTo(CONTACTS / 500);
            // each chunk moved the watermark; every chunk but the last still reads as the first poll (the baseline)
            List<Long> watermarks = cursors.stream().map(HubSpotContactChangeReader::parseCursor).toList();
            assertThat(watermarks).isSorted().doesNotHaveDuplicates();
            assertThat(cursors.subList(0, cursors.size() - 1)).allMatch(c -> HubSpotContactChangeReader.baselineStart(c) != null);
            assertThat(HubSpotContactChangeReader.baselineStart(cursors.get(cursors.size() - 1))).isNull();
        }
    }

    private EngagementBatch readOnce(HubSpotEmulator hubspot, Clock clock, StateStore store, int chunk) throws Exception {
        EngagementBatch batch = read(hubspot, clock, store, chunk);
        batch.runCommitHook();
        return batch;
    }

    @Test
    void moreContactsThanTheCapInOneMillisecondAreWalkedById() throws Exception {
        Clock frozen = Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC);
        try (HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(frozen)
                .withSearchResultCap(CAP).withSearchPerSecond(10_000).withBurstPer10s(100_000)).start(0);
             StateStore store = StateStore.open("jdbc:h2:mem:walk2;DB_CLOSE_DELAY=-1", "sa", "", Clock.systemUTC())) {
            List<String> ids = seeded(hubspot);
            EngagementBatch batch = readOnce(hubspot, Clock.systemUTC(), store);
            assertThat(store.contactStates().find(ids)).hasSize(CONTACTS);
            assertThat(batch.nextCursor()).isEqualTo(Long.toString(frozen.millis()));
        }
    }

    @Test
    void aBecameMqlMomentKeepsItsEventIdWhenTheContactChangesAgainBeforeItsSnapshotIsStored() throws Exception {
        try (HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults()).start(0);
             StateStore store = StateStore.open("jdbc:h2:mem:mql1;DB_CLOSE_DELAY=-1", "sa", "", Clock.systemUTC())) {
            String id = hubspot.portal().createContact(Map.of("email", "mql@crash.example", "lifecyclestage", "lead", "hubspotscore", "20"));
            EngagementBatch baseline = read(hubspot, Clock.systemUTC(), store);
            baseline.runCommitHook();
            store.cursors().put(io.closedloop.core.FlowId.HUBSPOT_CONTACT_CHANGES.key(), baseline.nextCursor());

            hubspot.portal().updateContact(id, Map.of("lifecyclestage", "marketingqualifiedlead", "hubspotscore", "65"));
            // written to Salesforce, then the daemon dies before the checkpoint stores the new snapshot
            EngagementBatch written = read(hubspot, Clock.systemUTC(), store);
            // the contact changes again, so its lastmodifieddate moves on before the re-read
            hubspot.portal().updateContact(id, Map.of("hubspotscore", "70"));
            EngagementBatch reread = read(hubspot, Clock.systemUTC(), store);

            EngagementEvent first = becameMql(written);
            EngagementEvent again = becameMql(reread);
            assertThat(again.id()).isEqualTo(first.id());
            Instant entered = Instant.parse(hubspot.portal().contact(id).get("hs_lifecyclestage_marketingqualifiedlead_date"));
            assertThat(again.occurredAt()).isEqualTo(entered);
            assertThat(reread.profiles()).singleElement().satisfies(p -> assertThat(p.mqlAt()).isEqualTo(entered));
        }
    }

    private static EngagementEvent becameMql(EngagementBatch batch) {
        return batch.events().stream().filter(e -> e.type() == ActivityType.BECAME_MQL).findFirst().orElseThrow();
    }

    /** hs_lead_status comes back in the search results like the other requested properties (hubspot-api.md §4 response). */
    @Test
    void aLeadStatusChangeTravelsAsAContactChangeAndNotAsAnActivityInTheSameSearch() throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        try (HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults()).start(0);
             StateStore store = StateStore.open("jdbc:h2:mem:leadstatus1;DB_CLOSE_DELAY=-1", "sa", "", Clock.systemUTC());
             DefaultCamelContext context = new DefaultCamelContext()) {
            env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
            env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
            context.start();
            HubSpotClient client = new HubSpotClient(context, TestSettings.settings(dir, env));
            HubSpotContactChangeReader reader = new HubSpotContactChangeReader(client, store.contactStates(),
                    new HubSpotContactChangeReader.Window(StartFrom.ago(Duration.ofDays(1)), Duration.ofSeconds(60), CAP));
            String id = hubspot.portal().createContact(Map.of("email", "status@lead.example", "lifecyclestage", "lead", "hs_lead_status", "OPEN"));
            io.closedloop.core.SourceRead baseline = reader.read("", Instant.now());
            baseline.onCommit().run();
            assertThat(baseline.contactChanges()).isEmpty();
            assertThat(store.contactStates().find(List.of(id)).get(id).leadStatus()).isEqualTo("OPEN");

            Thread.sleep(5);
            hubspot.portal().updateContact(id, Map.of("hs_lead_status", "IN_PROGRESS"));
            long calls = client.calls();
            io.closedloop.core.SourceRead changed = reader.read(baseline.nextCursor(), Instant.now());
            assertThat(client.calls() - calls).isEqualTo(1);
            assertThat(changed.events()).isEmpty();
            assertThat(changed.contactChanges()).singleElement().satisfies(c -> {
                assertThat(c.hubspotContactId()).isEqualTo(id);
                assertThat(c.property()).isEqualTo(HubSpotNames.LEAD_STATUS);
                assertThat(c.from()).isEqualTo("OPEN");
                assertThat(c.to()).isEqualTo("IN_PROGRESS");
            });
            changed.onCommit().run();
            assertThat(reader.read(changed.nextCursor(), Instant.now()).contactChanges()).isEmpty();
        }
    }
}
