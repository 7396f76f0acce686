package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big list through the real routes: its members are read in chunks of CLOSEDLOOP_POLL_CHUNK (pages of 250 ordered by
 * recordId with an {@code after} cursor, hubspot-api.md §8.1), each chunk's joins written and its members stored
 * before the cursor moves; a write that fails in a middle chunk loses and repeats no join.
 */
class ListMembershipChunksRouteTest {
    private static final int MEMBERS = 2_500;
    private static final int CHUNK = 500;
    private static final String SOURCE = "hubspot-list-memberships";
    private static final String LIST = "900";

    @TempDir
    Path dir;

    @Test
    void aBigListIsWrittenChunkByChunkAndAFailedThirdChunkLosesAndRepeatsNoJoin() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            HubSpotPortal portal = emulators.hubspot.portal();
            portal.addList(LIST, "Big webinar");
            Instant joined = clock.instant().minus(Duration.ofHours(2));
            List<String> contacts = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                String email = "member" + i + "@lists.example";
                org.insert("Lead", Map.of("LastName", "Member " + i, "Email", email, "Company", "Lists Co"));
                contacts.add(portal.createContact(Map.of("email", email)));
                portal.addListMember(LIST, contacts.get(i), joined.plusMillis(i));
            }
            Map<String, String> env = emulators.env();
            env.put("HUBSPOT_LIST_IDS", LIST);
            env.put("CLOSEDLOOP_POLL_CHUNK", Integer.toString(CHUNK));
            env.put("CLOSEDLOOP_START_FROM", "1d");
            // each chunk is one Bulk job, so "the third chunk's write" is the third job's upload
            env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100");
            emulators.salesforce.faults().script("salesforce.bulk.upload", null, null)
                    .failRate("salesforce.bulk.upload", Fault.serverError(503), 1.0);
            emulators.startDaemon(env, Map.of());
            emulators.poll(SOURCE);

            // two chunks written and committed: their members stored, the cursor inside the list, the list not baselined yet
            String cut = emulators.startedStore().cursors().get(SOURCE).orElseThrow();
            assertThat(cut).as("no list baselined, list %s read part-way", LIST).startsWith("|" + LIST + "|");
            assertThat(joins(org)).hasSize(2 * CHUNK);
            assertThat(emulators.startedStore().listMemberships().members(LIST)).hasSize(2 * CHUNK)
                    .containsOnlyKeys(contacts.subList(0, 2 * CHUNK));
            assertThat(emulators.startedStore().runs().recent(SOURCE, 10).get(0).status()).isEqualTo(SyncRuns.Status.FAILED);

            emulators.salesforce.faults().clear();
            long pagesBefore = emulators.hubspot.journal().count("hubspot.lists.memberships");
            emulators.poll(SOURCE);

            Map<Object, Long> perJoin = joins(org).stream().collect(Collectors.groupingBy(r -> r.get("HubSpot_Contact_Id__c"),
                    Collectors.counting()));
            assertThat(perJoin).hasSize(MEMBERS).containsOnlyKeys(contacts.toArray());
            assertThat(perJoin.values()).allMatch(n -> n == 1L);
            assertThat(emulators.startedStore().cursors().get(SOURCE)).contains(LIST);
            assertThat(emulators.startedStore().listMemberships().members(LIST)).hasSize(MEMBERS);
            // the retry went on from the third chunk: the 1,500 members left, in pages of 250
            assertThat(emulators.hubspot.journal().count("hubspot.lists.memberships") - pagesBefore).isEqualTo(6);
            // every chunk was a run of its own, and none read more than the chunk
            List<SyncRuns.SyncRun> succeeded = emulators.startedStore().runs().recent(SOURCE, 50).stream()
                    .filter(r -> r.status() == SyncRuns.Status.SUCCEEDED).toList();
            assertThat(succeeded).hasSize(MEMBERS / CHUNK);
            assertThat(succeeded).allSatisfy(r -> assertThat(r.counts().read()).isLessThanOrEqualTo(CHUNK));

            // later: one member of a middle chunk leaves, one joins; each chunk compares its own span of ids
            portal.removeListMember(LIST, contacts.get(1_234));
            String newcomer = portal.createContact(Map.of("email", "member1@lists.example.org"));
            org.insert("Lead", Map.of("LastName", "Newcomer", "Email", "member1@lists.example.org", "Company", "Lists Co"));
            portal.addListMember(LIST, newcomer, clock.instant());
            emulators.poll(SOURCE);

            assertThat(joins(org)).hasSize(MEMBERS + 1);
            List<Map<String, Object>> left = org.query("SELECT HubSpot_Contact_Id__c FROM Marketing_Activity__c WHERE Activity_Type__c = 'List Left'");
            assertThat(left).singleElement().satisfies(r -> assertThat(r.get("HubSpot_Contact_Id__c")).isEqualTo(contacts.get(1_234)));
            assertThat(emulators.startedStore().listMemberships().members(LIST)).hasSize(MEMBERS).doesNotContainKey(contacts.get(1_234))
                    .containsKey(newcomer);
            assertThat(emulators.startedStore().cursors().get(SOURCE)).contains(LIST);
        }
    }

    private static List<Map<String, Object>> joins(SalesforceOrg org) {
        return org.query("SELECT HubSpot_Contact_Id__c FROM Marketing_Activity__c WHERE Activity_Type__c = 'List Joined'");
    }
}
