package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.salesforce.SalesforceSoql;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign sync's API-call floor, counted from the emulators' journals: a HubSpot list of 10,000 people (half
 * Leads, half Contacts) becomes 10,000 CampaignMembers in at most 1.2 x ceil(10,000 / 200) Collections upserts plus
 * the identity queries, and a second run writes nothing.
 */
class CampaignApiEfficiencyIT {
    private static final int MEMBERS = 10_000;
    private static final String LIST_ID = "4242";

    @TempDir
    Path dir;

    @Test
    void tenThousandMembershipsCostAtMostTheCollectionsFloorPlusTheIdentityQueries() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock, c -> c, h -> h.withBurstPer10s(1_000))) {
            SalesforceOrg org = emulators.salesforce.org();
            String account = org.insert("Account", Map.of("Name", "Big Co", "Website", "https://www.bigco.example"));
            emulators.hubspot.portal().addList(LIST_ID, "Webinar sign-ups");
            Instant joined = clock.instant().minus(Duration.ofHours(2));
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                String email = "member" + i + "@bigco.example";
                emails.add(email);
                Map<String, Object> person = new HashMap<>(Map.of("LastName", "Member " + i, "Email", email));
                if (i % 2 == 0) {
                    person.put("Company", "Big Co");
                    org.insert("Lead", person);
                } else {
                    person.put("AccountId", account);
                    org.insert("Contact", person);
                }
                String contactId = emulators.hubspot.portal().createContact(Map.of("email", email));
                emulators.hubspot.portal().addListMember(LIST_ID, contactId, joined);
            }

            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_CAMPAIGN_SYNC", LIST_ID);
            env.put("HUBSPOT_BURST_PER_10S", "250");
            emulators.startDaemon(env, Map.of());
            emulators.salesforce.journal().reset();
            emulators.poll("salesforce-campaigns");

            assertThat(((Number) org.query("SELECT COUNT() FROM CampaignMember").get(0).get("count")).longValue()).isEqualTo(MEMBERS);
            Map<String, Long> subrequests = emulators.salesforce.compositeSubrequests();
            long memberUpserts = subrequests.getOrDefault("salesforce.collections.upsert CampaignMember", 0L);
            long identityQueries = 2L * SalesforceSoql.inLists(emails, SalesforceSoql.MAX_IN_CLAUSE_CHARS).size();
            Map<String, Long> calls = emulators.salesforce.journal().counts();
            long apiCalls = calls.entrySet().stream().filter(e -> !e.getKey().endsWith("salesforce.token"))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.printf("10,000 memberships: %d CampaignMember Collections upserts, %d identity queries, %d Salesforce API calls"
                    + " (%s), subrequests %s%n", memberUpserts, identityQueries, apiCalls, calls, subrequests);
            assertThat(memberUpserts).isLessThanOrEqualTo((long) Math.floor(1.2 * Math.ceil(MEMBERS / 200.0)));
            // every call: the member upserts five to a Composite, the identity queries five to one, the Campaign, its statuses
            assertThat(apiCalls).isLessThanOrEqualTo((long) Math.floor(1.2 * Math.ceil(MEMBERS / 200.0)) + identityQueries);
            // never one call per member: no single-record endpoint was used
            assertThat(calls.keySet()).allSatisfy(k -> assertThat(k).doesNotContain("sobject."));

            long before = emulators.salesforce.journal().total();
            emulators.poll("salesforce-campaigns");
            assertThat(emulators.salesforce.journal().total()).as("a second run writes nothing").isEqualTo(before);
            assertThat(emulators.salesforce.compositeSubrequests().get("salesforce.collections.upsert CampaignMember"))
                    .isEqualTo(memberUpserts);
        }
    }
}
