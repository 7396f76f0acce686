package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window of two chunks: while the first chunk is written, the second is read ahead and its people and their Leads'
 * Accounts are looked up on the read-ahead thread, so the second chunk's write makes only its own write calls. Nothing
 * is written twice and every activity carries its Lead and its Account.
 */
class EmailChunkPrefetchRouteTest {
    private static final String SOURCE = "hubspot-email-events";
    /** Two chunks of 100: the second repeats the first's oldest millisecond and reaches the window's start. */
    private static final int PEOPLE = 199;
    private static final int CHUNK = 100;

    @TempDir
    Path dir;

    @Test
    void theSecondChunksPeopleAndAccountsAreLookedUpWhileTheFirstIsWritten() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            for (int i = 0; i < PEOPLE; i++) {
                // each person at a company of their own, with its Account: every chunk brings new people and new domains
                org.insert("Account", Map.of("Name", "Company " + i, "Website", "https://www.company" + i + ".example"));
                org.insert("Lead", Map.of("LastName", "Person " + i, "Email", "person" + i + "@company" + i + ".example",
                        "Company", "Company " + i));
            }
            emulators.hubspot.portal().addEmailCampaign(7L, "Prefetch", "Prefetch");
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_CHUNK", Integer.toString(CHUNK));
            var runtime = emulators.startDaemon(env, Map.of());
            runtime.camelContext().getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
            long now = clock.millis();
            for (int i = 0; i < PEOPLE; i++) {
                emulators.hubspot.portal().addEmailEvent(new EmailEvent("p-" + i, now - 600_000 + i * 1_000L, "OPEN",
                        "person" + i + "@company" + i + ".example", 7L, Map.of()));
            }

            emulators.poll(SOURCE);

            List<SyncRuns.SyncRun> runs = emulators.startedStore().runs().recent(SOURCE, 10);
            assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(SyncRuns.Status.SUCCEEDED));
            SyncRuns.SyncRun first = runs.get(1);
            SyncRuns.SyncRun second = runs.get(0);
            assertThat(first.counts().written()).isEqualTo(CHUNK);
            assertThat(second.counts().written()).isEqualTo(PEOPLE - CHUNK);
            // the first chunk looked its people up (identities, then Accounts) and wrote; the second chunk's lookups ran
            // meanwhile and count in this run, the one they happened in
            assertThat(first.counts().salesforceCalls()).isGreaterThanOrEqualTo(3);
            // the second found them looked up already: its one Composite write is all it called
            assertThat(second.counts().salesforceCalls()).as("the second chunk's own calls").isEqualTo(1);

            List<Map<String, Object>> activities = org.query("SELECT Closedloop_Event_Id__c, Lead__c, Account__c FROM Marketing_Activity__c");
            assertThat(activities).hasSize(PEOPLE);
            assertThat(activities).allSatisfy(a -> {
                assertThat(a.get("Lead__c")).isNotNull();
                assertThat(a.get("Account__c")).as("the Lead's Account, by its domain").isNotNull();
            });
            assertThat(activities.stream().map(a -> a.get("Closedloop_Event_Id__c")).distinct().count()).isEqualTo(PEOPLE);
        }
    }
}
