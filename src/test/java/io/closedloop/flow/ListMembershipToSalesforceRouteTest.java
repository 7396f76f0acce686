package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow 1's list source through the real YAML routes: joins and leaves of a HubSpot list as Marketing Activities. */
class ListMembershipToSalesforceRouteTest {
    private static final String SOURCE = "hubspot-list-memberships";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private HubSpotPortal portal;
    private World.MarketingList list;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(25), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        portal = emulators.hubspot.portal();
        list = world.lists().get(0);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private List<World.Person> people(World.Match match, int n) {
        return world.people().stream().filter(p -> p.match() == match && p.duplicateSfId() == null).limit(n).toList();
    }

    private void startWatching(String listIds) throws Exception {
        Map<String, String> env = emulators.env();
        env.put("HUBSPOT_LIST_IDS", listIds);
        emulators.startDaemon(env, Map.of());
    }

    private List<Map<String, Object>> activities() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c, Lead__c, Contact__c, Activity_Type__c, Source__c, "
                + "Asset_Name__c, HubSpot_Contact_Id__c FROM Marketing_Activity__c");
    }

    private Map<String, Object> only(String type, World.Person p) {
        List<Map<String, Object>> found = activities().stream()
                .filter(a -> type.equals(a.get("Activity_Type__c")) && p.hubspotContactId().equals(a.get("HubSpot_Contact_Id__c")))
                .toList();
        assertThat(found).as("%s of contact %s", type, p.hubspotContactId()).hasSize(1);
        return found.get(0);
    }

    private long hubspotCalls(String endpoint) {
        return emulators.hubspot.journal().count(endpoint);
    }

    @Test
    void joinsAndLeavesOfAWatchedListLandOnceOnTheRightLeadOrContact() throws Exception {
        World.Person longTimeMember = people(World.Match.LEAD, 2).get(1);
        World.Person recentLead = people(World.Match.LEAD, 1).get(0);
        World.Person contact = people(World.Match.CONTACT, 1).get(0);
        portal.addListMember(list.id(), longTimeMember.hubspotContactId(), clock.instant().minus(Duration.ofDays(30)));
        portal.addListMember(list.id(), recentLead.hubspotContactId(), clock.instant().minus(Duration.ofMinutes(10)));
        startWatching(list.id());

        // the baseline: the recent join is written, the long-standing membership is not
        emulators.poll(SOURCE);
        assertThat(activities()).singleElement();
        Map<String, Object> joined = only("List Joined", recentLead);
        assertThat(joined.get("Lead__c")).isEqualTo(recentLead.sfId());
        assertThat(joined.get("Asset_Name__c")).isEqualTo(list.name());
        assertThat(joined.get("Source__c")).isEqualTo("HubSpot List");

        portal.addListMember(list.id(), contact.hubspotContactId(), clock.instant());
        portal.removeListMember(list.id(), longTimeMember.hubspotContactId());
        emulators.poll(SOURCE);
        assertThat(only("List Joined", contact).get("Contact__c")).isEqualTo(contact.sfId());
        Map<String, Object> left = only("List Left", longTimeMember);
        assertThat(left.get("Lead__c")).isEqualTo(longTimeMember.sfId());
        assertThat(left.get("Asset_Name__c")).isEqualTo(list.name());

        long composites = emulators.salesforce.journal().count("salesforce.composite");
        emulators.poll(SOURCE);
        emulators.stopDaemon();
        startWatching(list.id());
        emulators.poll(SOURCE);
        assertThat(activities()).hasSize(3);
        // the restarted daemon's schema check is the only Salesforce call: nothing was written twice
        assertThat(emulators.salesforce.journal().count("salesforce.composite")).isEqualTo(composites + 1);

        // per poll one memberships page; a batch read only when something changed; the name once per daemon
        assertThat(hubspotCalls("hubspot.lists.memberships")).isEqualTo(4);
        assertThat(hubspotCalls("hubspot.contacts.batch.read")).isEqualTo(2);
        assertThat(hubspotCalls("hubspot.lists.read")).isEqualTo(1);
        assertThat(emulators.hubspot.journal().total()).isEqualTo(7);
    }

    @Test
    void aFailedWriteLeavesTheSnapshotSoTheNextPollWritesTheSameEvents() throws Exception {
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        World.Person contact = people(World.Match.CONTACT, 1).get(0);
        portal.addListMember(list.id(), lead.hubspotContactId(), clock.instant().minus(Duration.ofDays(2)));
        startWatching(list.id());
        emulators.poll(SOURCE);
        assertThat(activities()).isEmpty();

        portal.removeListMember(list.id(), lead.hubspotContactId());
        portal.addListMember(list.id(), contact.hubspotContactId(), clock.instant());
        emulators.salesforce.faults().failRate("salesforce.composite", Fault.serverError(503), 1.0);
        emulators.poll(SOURCE);
        assertThat(activities()).isEmpty();
        assertThat(emulators.startedStore().runs().recent(SOURCE, 1)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(SyncRuns.Status.FAILED));
        assertThat(emulators.startedStore().listMemberships().members(list.id())).containsOnlyKeys(lead.hubspotContactId());

        emulators.salesforce.faults().clear();
        emulators.poll(SOURCE);
        assertThat(only("List Left", lead).get("Lead__c")).isEqualTo(lead.sfId());
        assertThat(only("List Joined", contact).get("Contact__c")).isEqualTo(contact.sfId());
        assertThat(emulators.startedStore().listMemberships().members(list.id())).containsOnlyKeys(contact.hubspotContactId());
    }

    @Test
    void aContactHubSpotNoLongerHasIsParkedAsInvalidEmailNotDropped() throws Exception {
        startWatching(list.id());
        emulators.poll(SOURCE);
        Instant joinedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        portal.addListMember(list.id(), "987654321", joinedAt);

        emulators.poll(SOURCE);

        String eventId = "list:" + list.id() + ":987654321:joined:" + joinedAt.toEpochMilli();
        assertThat(emulators.startedStore().parked().find(SOURCE, eventId)).hasValueSatisfying(r ->
                assertThat(r.errorCode()).isEqualTo("INVALID_EMAIL"));
        assertThat(activities()).isEmpty();
    }

    @Test
    void withNoListConfiguredTheSourceRunsIdleWithoutAnyCall() throws Exception {
        portal.addListMember(list.id(), people(World.Match.LEAD, 1).get(0).hubspotContactId(), Instant.now());
        emulators.startDaemon();

        emulators.poll(SOURCE);

        assertThat(emulators.hubspot.journal().total()).isZero();
        // the startup schema check (one Composite of describes) is all Salesforce hears
        assertThat(emulators.salesforce.journal().count("salesforce.composite")).isEqualTo(1);
        assertThat(emulators.salesforce.journal().count("salesforce.query")).isZero();
        assertThat(emulators.startedStore().runs().recent(SOURCE, 1)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(SyncRuns.Status.SUCCEEDED));
    }
}
