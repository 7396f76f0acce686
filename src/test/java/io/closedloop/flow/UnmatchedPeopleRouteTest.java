package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import io.closedloop.state.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** People unknown to Salesforce: parked as unmatched and retried until they exist, or given a Lead when they become MQLs. */
class UnmatchedPeopleRouteTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(java.time.Instant.now());
    private Emulators emulators;
    private World world;
    private World.Person unknown;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        unknown = world.people().stream().filter(p -> p.match() == World.Match.UNKNOWN).findFirst().orElseThrow();
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private List<Map<String, Object>> activitiesOfEmail() {
        return emulators.salesforce.org().query("SELECT Id, Lead__c, Activity_Type__c FROM Marketing_Activity__c WHERE Lead__r.Email = '"
                + unknown.email().replace("'", "\\'") + "'");
    }

    @Test
    void anUnmatchedClickIsWrittenOnceALeadWithThatEmailExistsAndItsParkedRecordIsResolved() throws Exception {
        long created = clock.millis() - 60_000;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("u-1", created, "CLICK", unknown.email(), world.campaigns().get(0).id(), Map.of()));
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        String key = "email:u-1:" + created;
        assertThat(emulators.startedStore().parked().find("hubspot-email-events", key))
                .hasValueSatisfying(r -> assertThat(r.errorCode()).isEqualTo("UNMATCHED"));

        // still unknown: the retry keeps it parked and counts the attempt
        emulators.poll("salesforce-unmatched-retry");
        assertThat(emulators.startedStore().parked().find("hubspot-email-events", key)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(ParkedRecords.Status.PARKED);
            assertThat(r.attempts()).isEqualTo(2);
        });

        // the next attempt comes once its backoff (the retry interval) has passed
        clock.advance(Duration.ofMinutes(15));
        String leadId = emulators.salesforce.org().insert("Lead", Map.of("LastName", unknown.lastName(), "Company", "Late Co",
                "Email", unknown.email()));
        emulators.poll("salesforce-unmatched-retry");
        assertThat(emulators.startedStore().parked().find("hubspot-email-events", key))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(ParkedRecords.Status.RESOLVED));
        assertThat(activitiesOfEmail()).singleElement().satisfies(a -> assertThat(a.get("Lead__c")).isEqualTo(leadId));

        emulators.poll("salesforce-unmatched-retry");
        assertThat(activitiesOfEmail()).hasSize(1);
    }

    @Test
    void withCreateLeadAnMqlUnknownToSalesforceGetsALeadCarryingTheMqlMoment() throws Exception {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_UNMATCHED_MQL", "create-lead");
        emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-contact-changes");
        emulators.hubspot.portal().updateContact(unknown.hubspotContactId(), Map.of("lifecyclestage", "marketingqualifiedlead"));
        emulators.poll("hubspot-contact-changes");

        List<Map<String, Object>> leads = emulators.salesforce.org().query("SELECT Id, FirstName, LastName, Company, MQL_At__c FROM Lead WHERE Email = '"
                + unknown.email().replace("'", "\\'") + "'");
        assertThat(leads).singleElement().satisfies(l -> {
            assertThat(l.get("LastName")).isEqualTo(unknown.lastName());
            assertThat(l.get("FirstName")).isEqualTo(unknown.firstName());
            assertThat(l.get("Company")).isEqualTo(unknown.company().name());
            assertThat(l.get("MQL_At__c")).isNotNull();
        });
        assertThat(activitiesOfEmail()).singleElement().satisfies(a -> assertThat(a.get("Activity_Type__c")).isEqualTo("Became MQL"));
        assertThat(emulators.startedStore().parked().countParked()).isZero();
    }
}
