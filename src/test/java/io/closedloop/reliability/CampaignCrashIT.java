package io.closedloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.LatencyModel;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.CampaignMembers;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign sync under SIGKILL: the real daemon ({@code java -jar target/closedloop.jar run}) is killed while its
 * CampaignMember upserts are in flight, a few times, as members join and leave the list, then left to finish on the
 * same H2 store. Every Lead and Contact of the list is then a CampaignMember of the one Campaign exactly once, with the
 * status of where it stands, the campaign has its five member statuses once, and the store agrees with Salesforce.
 */
class CampaignCrashIT {
    private static final long SEED = Long.getLong("crash.seed", 20_261_202L);
    private static final int KILLS = Integer.getInteger("crash.kills", 4);
    private static final int MEMBERS = 1_200;
    private static final String LIST_ID = "777";
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void killedWhileWritingMembersTheDaemonLeavesEveryMemberOnceWithItsStatus() throws Exception {
        Random rng = new Random(SEED);
        try (SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withSeed(SEED)).start(0);
             HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSeed(SEED).withBurstPer10s(100_000)).start(0)) {
            // slow Composite calls, so that kills land while member upserts are in flight or just answered
            LatencyModel latency = LatencyModel.uniform(Duration.ofMillis(200), Duration.ofMillis(800), SEED);
            AtomicLong composites = new AtomicLong();
            salesforce.faults().latency("salesforce.composite", () -> {
                composites.incrementAndGet();
                return latency.next();
            });
            SalesforceOrg org = salesforce.org();
            String account = org.insert("Account", Map.of("Name", "Crash Co", "Website", "https://www.crashco.example"));
            hubspot.portal().addList(LIST_ID, "Crash test sign-ups");
            Instant joined = Instant.now().minus(Duration.ofHours(1));
            Map<String, String> personOf = new HashMap<>();
            List<String> contactIds = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                String email = "crash" + i + "@crashco.example";
                Map<String, Object> person = new HashMap<>(Map.of("LastName", "Crash " + i, "Email", email));
                String sfId;
                if (i % 2 == 0) {
                    person.put("Company", "Crash Co");
                    sfId = org.insert("Lead", person);
                } else {
                    person.put("AccountId", account);
                    sfId = org.insert("Contact", person);
                }
                String contactId = hubspot.portal().createContact(Map.of("email", email));
                personOf.put(contactId, sfId);
                contactIds.add(contactId);
            }
            // a third joins before the first start, the rest between kills
            int joinedSoFar = MEMBERS / 3;
            contactIds.subList(0, joinedSoFar).forEach(id -> hubspot.portal().addListMember(LIST_ID, id, joined));

            Map<String, String> env = CrashSafetyIT.env(dir, salesforce, hubspot);
            env.put("CLOSEDLOOP_CAMPAIGN_SYNC", LIST_ID);
            CrashSafetyIT.Daemon daemon = new CrashSafetyIT.Daemon(dir, env);
            List<String> left = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                long before = composites.get();
                daemon.start();
                // into the member writes: once the first upserts of this start land, the rest of the call and its recording follow
                int membersBefore = org.query("SELECT Id FROM CampaignMember").size();
                waitFor(() -> org.query("SELECT Id FROM CampaignMember").size() > membersBefore || !daemon.alive(), Duration.ofSeconds(60));
                Thread.sleep(rng.nextInt(150));
                daemon.kill();
                // a call in flight at the kill is still answered by the emulator: count once it has landed
                Thread.sleep(1_000);
                int recorded;
                try (StateStore store = StateStore.open(daemon.dbUrl(), daemon.dbUser(), "", Clock.systemUTC())) {
                    recorded = store.campaignMembers().members("list:" + LIST_ID).size();
                }
                System.out.printf("kill %d after %d Composite calls: %d of %d members in Salesforce, %d recorded in the store%n", kill,
                        composites.get() - before, org.query("SELECT Id FROM CampaignMember").size(), joinedSoFar, recorded);
                int more = Math.min(MEMBERS, joinedSoFar + MEMBERS / 5);
                contactIds.subList(joinedSoFar, more).forEach(id -> hubspot.portal().addListMember(LIST_ID, id, joined));
                joinedSoFar = more;
                // a leaver the killed daemon wrote as a member, so that it has a CampaignMember to mark
                String leaver = contactIds.get(rng.nextInt(joinedSoFar));
                boolean written = !org.query("SELECT Id FROM CampaignMember WHERE LeadId = '" + personOf.get(leaver) + "' OR ContactId = '"
                        + personOf.get(leaver) + "'").isEmpty();
                if (written && !left.contains(leaver)) {
                    hubspot.portal().removeListMember(LIST_ID, leaver);
                    left.add(leaver);
                }
            }
            int expected = joinedSoFar;
            daemon.start();
            try {
                waitFor(() -> org.query("SELECT Id FROM CampaignMember WHERE Status = 'Sent'").size() == expected - left.size()
                        && org.query("SELECT Id FROM CampaignMember WHERE Status = 'Left List'").size() == left.size(), SETTLE_TIMEOUT);
            } finally {
                daemon.stop();
            }

            List<Map<String, Object>> campaigns = org.query("SELECT Id FROM Campaign WHERE Closedloop_Campaign_Key__c = 'list:" + LIST_ID + "'");
            assertThat(campaigns).singleElement();
            String campaignId = (String) campaigns.get(0).get("Id");
            assertThat(org.query("SELECT Label FROM CampaignMemberStatus WHERE CampaignId = '" + campaignId + "'")).hasSize(5);
            Map<String, String> statusOf = new HashMap<>();
            for (Map<String, Object> m : org.query("SELECT LeadId, ContactId, Status FROM CampaignMember WHERE CampaignId = '"
                    + campaignId + "'")) {
                String person = (String) (m.get("LeadId") != null ? m.get("LeadId") : m.get("ContactId"));
                assertThat(statusOf.put(person, (String) m.get("Status"))).as("one CampaignMember per person").isNull();
            }
            assertThat(statusOf).hasSize(expected);
            for (String contactId : contactIds.subList(0, expected)) {
                assertThat(statusOf.get(personOf.get(contactId))).as(contactId).isEqualTo(left.contains(contactId) ? "Left List" : "Sent");
            }
            try (StateStore store = StateStore.open(daemon.dbUrl(), daemon.dbUser(), "", Clock.systemUTC())) {
                Map<String, CampaignMembers.Member> stored = store.campaignMembers().members("list:" + LIST_ID);
                assertThat(stored).hasSize(expected);
                stored.values().forEach(m -> assertThat(m.status()).isEqualTo(statusOf.get(m.sfPersonId())));
                assertThat(store.parked().list(ParkedRecords.Filter.parkedIn("salesforce-campaigns"), 10)).isEmpty();
            }
        }
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited %s", timeout).isBefore(end);
            Thread.sleep(100);
        }
    }
}
