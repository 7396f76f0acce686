package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run cut off after part of its writes landed: after a restart every event is in Salesforce exactly once. */
class RestartMidRunRouteTest {
    private static final int PEOPLE = 300;
    private static final int EVENTS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aRunThatDiesHalfWayLeavesTheCursorAndTheRestartWritesTheRestExactlyOnce() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            String account = org.insert("Account", Map.of("Name", "Restart Co", "Website", "https://restart.example"));
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                String email = "person" + i + "@restart.example";
                emails.add(email);
                Map<String, Object> person = new HashMap<>(Map.of("LastName", "Person " + i, "Email", email));
                if (i % 2 == 0) {
                    person.put("Company", "Restart Co");
                    org.insert("Lead", person);
                } else {
                    person.put("AccountId", account);
                    org.insert("Contact", person);
                }
            }
            emulators.hubspot.portal().addEmailCampaign(7L, "Restart", "Restart");
            long base = clock.millis() - 300_000;
            for (int e = 0; e < EVENTS; e++) {
                emulators.hubspot.portal().addEmailEvent(new EmailEvent("r" + e, base + e * 10L, e % 2 == 0 ? "OPEN" : "CLICK",
                        emails.get(e % PEOPLE), 7L, Map.of()));
            }

            // identity lookups and the first activity Composite get through; then Salesforce is gone for good
            emulators.salesforce.faults().script("salesforce.composite", null, null, null)
                    .failRate("salesforce.composite", Fault.connectionReset(), 1.0);
            // the run dies in its Composite writes: kept below the Bulk threshold, as a poll of this size is
            Map<String, String> env = emulators.env();
            env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100000");
            emulators.startDaemon(env, Map.of());
            emulators.poll("hubspot-email-events");
            long landed = count(org);
            assertThat(landed).isGreaterThan(0).isLessThan(EVENTS);
            // the cursor still holds only the first window's start: no poll was committed
            assertThat(io.closedloop.state.TimeWindowCursor.parse(emulators.startedStore().cursors().get("hubspot-email-events").orElseThrow())
                    .polls()).isZero();
            assertThat(emulators.startedStore().runs().recent("hubspot-email-events", 1)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(io.closedloop.state.SyncRuns.Status.FAILED));

            emulators.stopDaemon();
            emulators.salesforce.faults().clear();
            emulators.startDaemon(env, Map.of());
            long before = emulators.salesforce.journal().count("salesforce.composite");
            emulators.poll("hubspot-email-events");

            List<Map<String, Object>> all = org.query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c");
            Map<Object, Long> perEvent = all.stream().collect(Collectors.groupingBy(r -> r.get("Closedloop_Event_Id__c"), Collectors.counting()));
            assertThat(perEvent).hasSize(EVENTS);
            assertThat(perEvent.values()).allMatch(n -> n == 1L);
            // what landed before the cut is not written again: the rest needs its own Composite calls and no more
            long rewrites = emulators.salesforce.journal().count("salesforce.composite") - before;
            assertThat(rewrites).isLessThanOrEqualTo((long) Math.ceil((EVENTS - landed) / 1000.0) + 4);
            assertThat(emulators.startedStore().cursors().get("hubspot-email-events")).isPresent();
        }
    }

    private static long count(SalesforceOrg org) {
        return ((Number) org.query("SELECT COUNT() FROM Marketing_Activity__c").get(0).get("count")).longValue();
    }
}
