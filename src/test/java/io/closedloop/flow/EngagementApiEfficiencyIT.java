package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.salesforce.SalesforceSoql;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 1's API-call floor, counted from the emulators' call journals: 10,000 email events over 2,000 people
 * (half Leads, half Contacts, 400 companies).
 */
class EngagementApiEfficiencyIT {
    private static final int PEOPLE = 2_000;
    private static final int EVENTS = 10_000;
    private static final int COMPANIES = 400;

    @TempDir
    Path dir;

    @Test
    void tenThousandEventsCostAtMostTheDocumentedFloorOfApiCalls() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            List<String> accounts = new ArrayList<>();
            for (int c = 0; c < COMPANIES; c++) {
                accounts.add(org.insert("Account", Map.of("Name", "Company " + c, "Website", "https://www.company" + c + ".example")));
            }
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                int company = i % COMPANIES;
                String email = "person" + i + "@company" + company + ".example";
                emails.add(email);
                Map<String, Object> person = new HashMap<>(Map.of("LastName", "Person " + i, "Email", email));
                if (i % 2 == 0) {
                    person.put("Company", "Company " + company);
                    org.insert("Lead", person);
                } else {
                    person.put("AccountId", accounts.get(company));
                    org.insert("Contact", person);
                }
            }
            emulators.hubspot.portal().addEmailCampaign(1L, "Pricing update", "New pricing");
            long base = clock.instant().minusSeconds(600).toEpochMilli();
            for (int e = 0; e < EVENTS; e++) {
                emulators.hubspot.portal().addEmailEvent(new EmailEvent("e" + e, base + e * 10L, e % 3 == 0 ? "CLICK" : "OPEN",
                        emails.get(e % PEOPLE), 1L, Map.of()));
            }

            // the Composite floor is what this measures; above SALESFORCE_LIVE_BULK_THRESHOLD the same load goes through Bulk
            Map<String, String> env = emulators.env();
            env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100000");
            emulators.startDaemon(env, Map.of());
            emulators.poll("hubspot-email-events");

            long activities = org.query("SELECT COUNT() FROM Marketing_Activity__c").get(0).get("count") instanceof Number n ? n.longValue() : -1;
            assertThat(activities).isEqualTo(EVENTS);

            // HubSpot: email-event reads <= 1.2 x ceil(events / 1000)
            long eventReads = emulators.hubspot.journal().count("hubspot.email.events");
            assertThat(eventReads).isLessThanOrEqualTo((long) Math.floor(1.2 * Math.ceil(EVENTS / 1000.0)));

            // Salesforce: <= 1.2 x (ceil(records / 1000) composite calls + the identity queries needed)
            long records = EVENTS + PEOPLE + COMPANIES;
            long identityQueries = 2L * SalesforceSoql.inLists(emails, SalesforceSoql.MAX_IN_CLAUSE_CHARS).size() + 1;
            Map<String, Long> sf = emulators.salesforce.journal().counts();
            long apiCalls = sf.entrySet().stream().filter(e -> !e.getKey().endsWith("salesforce.token")).mapToLong(Map.Entry::getValue).sum();
            System.out.printf("10,000 events over 2,000 people: %d HubSpot email-event reads, %d Salesforce API calls (%s)%n",
                    eventReads, apiCalls, sf);
            assertThat(apiCalls).isLessThanOrEqualTo((long) Math.floor(1.2 * (Math.ceil(records / 1000.0) + identityQueries)));
            // queries travel five to a Composite call, so the real count sits well under that bound
            assertThat(apiCalls).isLessThanOrEqualTo((long) Math.ceil(records / 1000.0) + (long) Math.ceil(identityQueries / 5.0) + 2);
            // zero per-record calls: every API call is a Composite request
            assertThat(sf.keySet()).allSatisfy(k -> assertThat(Set.of("POST salesforce.composite", "POST salesforce.token")).contains(k));
        }
    }
}
