package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.state.MutableClock;
import io.closedloop.state.StateStore;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementBatch;
import io.closedloop.core.EngagementEvent;
import io.closedloop.flow.PolledSourceRunner;
import io.closedloop.flow.SyncCheckpoint;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list source's diffing, baseline, paging and email lookups, against the HubSpot emulator and an H2 state store. */
class HubSpotListMembershipReaderTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final String LIST = "1234";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private HubSpotEmulator emulator;
    private HubSpotPortal portal;
    private DefaultCamelContext camel;
    private HubSpotClient client;
    private StateStore store;

    @BeforeEach
    void setUp() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).start(0);
        portal = emulator.portal();
        portal.addList(LIST, "Webinar attendees");
        Map<String, String> env = TestSettings.env(dir);
        env.put("HUBSPOT_BASE_URL", emulator.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.DEFAULT_TOKEN);
        var settings = TestSettings.settings(dir, env);
        camel = new DefaultCamelContext();
        camel.start();
        client = new HubSpotClient(camel, settings);
        store = StateStore.open(settings.dbUrl(), "sa", "", clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
        camel.stop();
        emulator.close();
    }

    private PolledSourceRunner reader(String... listIds) {
        return reader(StartFrom.ago(Duration.ofHours(1)), listIds);
    }

    private PolledSourceRunner reader(StartFrom startFrom, String... listIds) {
        return new PolledSourceRunner(store, clock, new HubSpotListMembershipReader(client, store.listMemberships(), List.of(listIds),
                startFrom), client::calls);
    }

    private String contact(String email) {
        return portal.createContact(Map.of("email", email));
    }

    private void commit(EngagementBatch batch) {
        new SyncCheckpoint(store).commit(batch);
    }

    private long calls(String endpoint) {
        return emulator.journal().count(endpoint);
    }

    @Test
    void firstReadIsABaselineThatReportsOnlyJoinsInsideTheLookbackAcrossPages() {
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = contact("old" + i + "@acme.example");
            old.add(id);
            portal.addListMember(LIST, id, NOW.minus(Duration.ofDays(3)).plusSeconds(i));
        }
        String recent = contact("Recent@Acme.example");
        Instant joinedAt = NOW.minus(Duration.ofMinutes(20));
        portal.addListMember(LIST, recent, joinedAt);
        portal.addListMember(LIST, contact("edge@acme.example"), NOW.minus(Duration.ofHours(1)).minusMillis(1));

        EngagementBatch batch = reader(LIST).read();

        assertThat(batch.source()).isEqualTo("hubspot-list-memberships");
        assertThat(batch.events()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("list:" + LIST + ":" + recent + ":joined:" + joinedAt.toEpochMilli());
            assertThat(e.type()).isEqualTo(ActivityType.LIST_JOINED);
            assertThat(e.source()).isEqualTo(EngagementEvent.Source.LIST);
            assertThat(e.occurredAt()).isEqualTo(joinedAt);
            assertThat(e.email()).isEqualTo("recent@acme.example");
            assertThat(e.hubspotContactId()).isEqualTo(recent);
            assertThat(e.assetName()).isEqualTo("Webinar attendees");
        });
        // 302 members at 250 a page, one name, one batch read for the one event
        assertThat(calls("hubspot.lists.memberships")).isEqualTo(2);
        assertThat(calls("hubspot.lists.read")).isEqualTo(1);
        assertThat(calls("hubspot.contacts.batch.read")).isEqualTo(1);
        assertThat(batch.hubspotCalls()).isEqualTo(4);
        assertThat(store.listMemberships().members(LIST)).isEmpty();

        commit(batch);
        assertThat(store.listMemberships().members(LIST)).hasSize(302).containsEntry(old.get(0), NOW.minus(Duration.ofDays(3)));
    }

    @Test
    void theBaselineReportsExistingMembersWhoJoinedSinceStartFromAndNoEarlier() {
        String weekOld = contact("week@acme.example");
        portal.addListMember(LIST, weekOld, NOW.minus(Duration.ofDays(6)));
        portal.addListMember(LIST, contact("month@acme.example"), NOW.minus(Duration.ofDays(30)));
        String dated = contact("dated@acme.example");
        portal.addListMember(LIST, dated, NOW.minus(Duration.ofDays(20)));

        assertThat(reader(StartFrom.ago(Duration.ofDays(7)), LIST).read().events()).extracting(e -> e.hubspotContactId())
                .containsExactly(weekOld);
        assertThat(reader(StartFrom.at(NOW.minus(Duration.ofDays(21))), LIST).read().events())
                .extracting(e -> e.hubspotContactId()).containsExactlyInAnyOrder(weekOld, dated);
    }

    @Test
    void afterTheBaselineNewMembersJoinAndMissingMembersLeave() {
        String stays = contact("stays@acme.example");
        String leaves = contact("leaves@acme.example");
        Instant leavesJoinedAt = NOW.minus(Duration.ofDays(10));
        portal.addListMember(LIST, stays, NOW.minus(Duration.ofDays(10)));
        portal.addListMember(LIST, leaves, leavesJoinedAt);
        PolledSourceRunner reader = reader(LIST);
        commit(reader.read());

        clock.advance(Duration.ofMinutes(5));
        String joins = contact("joins@acme.example");
        Instant joinedAt = clock.instant().minusSeconds(30);
        portal.addListMember(LIST, joins, joinedAt);
        portal.removeListMember(LIST, leaves);
        emulator.journal().reset();

        EngagementBatch batch = reader.read();

        assertThat(batch.events()).extracting(EngagementEvent::type, EngagementEvent::hubspotContactId, EngagementEvent::email,
                EngagementEvent::occurredAt).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(ActivityType.LIST_JOINED, joins, "joins@acme.example", joinedAt),
                org.assertj.core.groups.Tuple.tuple(ActivityType.LIST_LEFT, leaves, "leaves@acme.example", clock.instant()));
        assertThat(batch.events()).extracting(EngagementEvent::id).contains(
                "list:" + LIST + ":" + leaves + ":left:" + leavesJoinedAt.toEpochMilli());
        // the baseline had no event, so the name is read now; one page and one batch read for both contacts
        assertThat(emulator.journal().counts()).containsOnly(Map.entry("GET hubspot.lists.memberships", 1L),
                Map.entry("GET hubspot.lists.read", 1L), Map.entry("POST hubspot.contacts.batch.read", 1L));

        commit(batch);
        assertThat(store.listMemberships().members(LIST)).containsOnlyKeys(stays, joins).containsEntry(joins, joinedAt);
        portal.addListMember(LIST, contact("later@acme.example"), clock.instant());
        emulator.journal().reset();
        assertThat(reader.read().events()).singleElement().satisfies(e -> assertThat(e.assetName()).isEqualTo("Webinar attendees"));
        assertThat(calls("hubspot.lists.read")).as("list name cached").isZero();
    }

    @Test
    void anUncommittedBatchIsReadAgainWithTheSameEventIds() {
        String leaves = contact("leaves@acme.example");
        portal.addListMember(LIST, leaves, NOW.minus(Duration.ofDays(2)));
        PolledSourceRunner reader = reader(LIST);
        commit(reader.read());
        portal.removeListMember(LIST, leaves);
        String joins = contact("joins@acme.example");
        portal.addListMember(LIST, joins, NOW.minusSeconds(10));

        List<String> first = reader.read().events().stream().map(EngagementEvent::id).toList();
        clock.advance(Duration.ofMinutes(1));
        EngagementBatch again = reader.read();

        assertThat(first).hasSize(2);
        assertThat(again.events()).extracting(EngagementEvent::id).containsExactlyInAnyOrderElementsOf(first);
        commit(again);
        assertThat(reader.read().events()).isEmpty();
    }

    @Test
    void contactsHubSpotNoLongerHasKeepTheirEventWithoutAnEmailAndLookupsGoOneHundredAtATime() {
        for (int i = 0; i < 150; i++) {
            portal.addListMember(LIST, contact("p" + i + "@acme.example"), NOW.minusSeconds(60 + i));
        }
        portal.addListMember(LIST, "999999", NOW.minusSeconds(5));

        EngagementBatch batch = reader(LIST).read();

        assertThat(batch.events()).hasSize(151);
        assertThat(batch.events()).filteredOn(e -> e.hubspotContactId().equals("999999")).singleElement()
                .satisfies(e -> assertThat(e.email()).isNull());
        assertThat(batch.events()).filteredOn(e -> e.email() == null).hasSize(1);
        assertThat(calls("hubspot.contacts.batch.read")).isEqualTo(2);
    }

    @Test
    void anEmptyListAtTheBaselineStillCountsAsReadSoItsFirstMembersJoinLater() {
        PolledSourceRunner reader = reader(LIST);
        EngagementBatch baseline = reader.read();
        assertThat(baseline.events()).isEmpty();
        assertThat(baseline.nextCursor()).isEqualTo(LIST);
        commit(baseline);

        // a member whose join time lies outside the lookback is still new to this list
        String late = contact("late@acme.example");
        portal.addListMember(LIST, late, NOW.minus(Duration.ofDays(1)));
        assertThat(reader.read().events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ActivityType.LIST_JOINED);
            assertThat(e.hubspotContactId()).isEqualTo(late);
        });
    }

    @Test
    void noConfiguredListMeansNoCallsAndNoEvents() {
        EngagementBatch batch = reader().read();

        assertThat(batch.events()).isEmpty();
        assertThat(batch.nextCursor()).isNull();
        assertThat(emulator.journal().total()).isZero();
    }

    @Test
    void aListThatDoesNotExistIsSkippedWhileTheOthersAreRead() {
        portal.addList("77", "Trial users");
        String trial = contact("trial@acme.example");
        portal.addListMember("77", trial, NOW.minusSeconds(30));

        EngagementBatch batch = reader("404404", "77").read();

        assertThat(batch.events()).singleElement().satisfies(e -> assertThat(e.assetName()).isEqualTo("Trial users"));
        assertThat(batch.nextCursor()).isEqualTo("77");
    }

    @Test
    void aChunkEndsInsideAListOrAtItsEndAndTheNextChunkGoesOnFromThere() {
        portal.addList("77", "Trial users");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(contact("a" + i + "@acme.example"));
            portal.addListMember(LIST, first.get(i), NOW.minusSeconds(60 + i));
        }
        for (int i = 0; i < 5; i++) {
            second.add(contact("b" + i + "@acme.example"));
            portal.addListMember("77", second.get(i), NOW.minusSeconds(60 + i));
        }
        HubSpotListMembershipReader reader = new HubSpotListMembershipReader(client, store.listMemberships(), List.of(LIST, "77"),
                StartFrom.ago(Duration.ofHours(1)), 3);

        io.closedloop.core.SourceRead chunk = reader.read("", NOW);
        assertThat(chunk.events()).extracting(EngagementEvent::hubspotContactId).containsExactlyElementsOf(first);
        assertThat(chunk.more()).isTrue();
        assertThat(chunk.nextCursor()).as("the first list is read through; the next chunk starts the second").isEqualTo(LIST + "|77||");
        chunk.onCommit().run();

        chunk = reader.read(chunk.nextCursor(), NOW);
        assertThat(chunk.events()).extracting(EngagementEvent::hubspotContactId).containsExactlyElementsOf(second.subList(0, 3));
        assertThat(chunk.more()).isTrue();
        assertThat(chunk.nextCursor()).startsWith(LIST + "|77|" + second.get(2) + "|");
        chunk.onCommit().run();

        chunk = reader.read(chunk.nextCursor(), NOW);
        assertThat(chunk.events()).extracting(EngagementEvent::hubspotContactId).containsExactlyElementsOf(second.subList(3, 5));
        assertThat(chunk.more()).isFalse();
        assertThat(chunk.nextCursor()).isEqualTo("1234,77");
        chunk.onCommit().run();
        assertThat(store.listMemberships().members("77")).containsOnlyKeys(second.toArray(String[]::new));

        // read again in chunks: nobody joined or left, in any chunk's span of ids
        String cursor = "1234,77";
        do {
            chunk = reader.read(cursor, NOW);
            assertThat(chunk.events()).isEmpty();
            cursor = chunk.nextCursor() == null ? cursor : chunk.nextCursor();
        } while (chunk.more());
        assertThat(cursor).isEqualTo("1234,77");
    }

    @Test
    void cursorIsTheSortedSetOfBaselinedListsAndTheListReadPartWay() {
        var plain = new HubSpotListMembershipReader.Cursor(java.util.Set.of("77", "1234", "5"), null);
        assertThat(plain.serialize()).isEqualTo("1234,5,77");
        assertThat(HubSpotListMembershipReader.Cursor.parse("1234,5,77")).isEqualTo(new HubSpotListMembershipReader.Cursor(
                java.util.Set.of("1234", "5", "77"), null));
        assertThat(HubSpotListMembershipReader.Cursor.parse("").baselined()).isEmpty();
        var scanning = new HubSpotListMembershipReader.Cursor(java.util.Set.of("5"),
                new HubSpotListMembershipReader.Scan("77", "100451", "AoJ=="));
        assertThat(scanning.serialize()).isEqualTo("5|77|100451|AoJ==");
        assertThat(HubSpotListMembershipReader.Cursor.parse(scanning.serialize())).isEqualTo(scanning);
        var nextList = new HubSpotListMembershipReader.Cursor(java.util.Set.of("5"), new HubSpotListMembershipReader.Scan("77", null, null));
        assertThat(HubSpotListMembershipReader.Cursor.parse(nextList.serialize())).isEqualTo(nextList);
    }
}
