package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow 1's contact-changes source through the real YAML routes: lifecycle, MQL moment, page visits and score. */
class ContactChangesToSalesforceRouteTest {
    private static final String SOURCE = "hubspot-contact-changes";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person first(World.Match match, String stage) {
        return world.people().stream().filter(p -> p.match() == match && p.duplicateSfId() == null
                && stage.equals(emulators.hubspot.portal().contact(p.hubspotContactId()).get("lifecyclestage"))).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> activitiesOf(String field, String sfId) {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c, Activity_Type__c, Asset_Name__c, Asset_Url__c, Source__c, "
                + "Details__c FROM Marketing_Activity__c WHERE " + field + " = '" + sfId + "'");
    }

    @Test
    void theFirstPollIsABaselineThenTheMqlMomentPageVisitsAndScoreReachTheLead() throws Exception {
        World.Person lead = first(World.Match.LEAD, "lead");
        emulators.startDaemon();
        emulators.poll(SOURCE);
        // pre-existing MQLs that entered the stage inside CLOSEDLOOP_START_FROM are caught up at their stage-entered date, marked so
        List<Map<String, Object>> caughtUp = emulators.salesforce.org().query(
                "SELECT Id, Details__c FROM Marketing_Activity__c WHERE Activity_Type__c = 'Became MQL'");
        assertThat(caughtUp).isNotEmpty().allSatisfy(a -> assertThat((String) a.get("Details__c")).contains("catch-up"));
        emulators.poll(SOURCE);
        assertThat(emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c WHERE Activity_Type__c = 'Became MQL'"))
                .as("once each").hasSameSizeAs(caughtUp);

        Instant visit = clock.instant().minusSeconds(20);
        emulators.hubspot.portal().updateContact(lead.hubspotContactId(), Map.of("lifecyclestage", "marketingqualifiedlead",
                "hubspotscore", "82", "hs_analytics_num_page_views", "3",
                "hs_analytics_last_url", "https://www.closedloop.example/pricing?utm=x",
                "hs_analytics_last_visit_timestamp", Long.toString(visit.toEpochMilli())));
        emulators.poll(SOURCE);

        List<Map<String, Object>> acts = activitiesOf("Lead__c", lead.sfLeadId());
        assertThat(acts).extracting(a -> a.get("Activity_Type__c")).containsExactlyInAnyOrder("Became MQL", "Page Visit");
        assertThat(acts).allSatisfy(a -> assertThat(a.get("Source__c")).isEqualTo("HubSpot CRM"));
        Map<String, Object> visitActivity = acts.stream().filter(a -> a.get("Activity_Type__c").equals("Page Visit")).findFirst().orElseThrow();
        assertThat(visitActivity.get("Asset_Name__c")).isEqualTo("/pricing");
        assertThat((String) visitActivity.get("Details__c")).contains("page views: +3");

        Map<String, Object> sfLead = emulators.salesforce.org().get("Lead", lead.sfLeadId());
        assertThat(sfLead.get("Marketing_Engagement_Score__c")).isEqualTo(new BigDecimal(82));
        assertThat(sfLead.get("MQL_At__c")).isNotNull();
        assertThat((String) sfLead.get("Marketing_Summary__c")).startsWith("Became an MQL").contains("1 page visit");

        // re-reading the same snapshots (the overlap) writes nothing again
        long writes = emulators.salesforce.journal().count("salesforce.composite");
        emulators.poll(SOURCE);
        assertThat(activitiesOf("Lead__c", lead.sfLeadId())).hasSize(2);
        assertThat(emulators.salesforce.journal().count("salesforce.composite")).isEqualTo(writes);

        // a later stage change is a lifecycle activity; a score change only moves the score field
        emulators.hubspot.portal().updateContact(lead.hubspotContactId(), Map.of("lifecyclestage", "salesqualifiedlead", "hubspotscore", "90"));
        emulators.poll(SOURCE);
        assertThat(activitiesOf("Lead__c", lead.sfLeadId())).extracting(a -> a.get("Activity_Type__c"))
                .containsExactlyInAnyOrder("Became MQL", "Page Visit", "Lifecycle Change");
        assertThat(activitiesOf("Lead__c", lead.sfLeadId())).filteredOn(a -> a.get("Activity_Type__c").equals("Lifecycle Change"))
                .singleElement().satisfies(a -> assertThat(a.get("Asset_Name__c")).isEqualTo("marketingqualifiedlead → salesqualifiedlead"));
        Map<String, Object> after = emulators.salesforce.org().get("Lead", lead.sfLeadId());
        assertThat(after.get("Marketing_Engagement_Score__c")).isEqualTo(new BigDecimal(90));
        // MQL_At__c is written only while blank
        assertThat(after.get("MQL_At__c")).isEqualTo(sfLead.get("MQL_At__c"));
    }

    @Test
    void anMqlWithoutASalesforceRecordIsParkedAsUnmatched() throws Exception {
        World.Person unknown = world.people().stream().filter(p -> p.match() == World.Match.UNKNOWN).findFirst().orElseThrow();
        emulators.startDaemon();
        emulators.poll(SOURCE);
        emulators.hubspot.portal().updateContact(unknown.hubspotContactId(), Map.of("lifecyclestage", "marketingqualifiedlead"));
        emulators.poll(SOURCE);
        var parked = emulators.startedStore().parked().list(io.closedloop.state.ParkedRecords.Filter.parkedIn(SOURCE), 100);
        assertThat(parked).anySatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo("UNMATCHED");
            assertThat(r.recordKey()).startsWith("crm:" + unknown.hubspotContactId() + ":mql:");
        });
    }

    @Test
    void withAScoreThresholdAsTheMqlDefinitionCrossingItIsTheMqlMoment() throws Exception {
        World.Person lead = first(World.Match.LEAD, "lead");
        java.nio.file.Path rules = java.nio.file.Files.writeString(dir.resolve("mql.properties"), "mql.lifecycle-stage=\nmql.score-threshold=70\n");
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        emulators.startDaemon(env, Map.of());
        emulators.poll(SOURCE);
        emulators.hubspot.portal().updateContact(lead.hubspotContactId(), Map.of("hubspotscore", "69"));
        emulators.poll(SOURCE);
        assertThat(activitiesOf("Lead__c", lead.sfLeadId())).isEmpty();
        emulators.hubspot.portal().updateContact(lead.hubspotContactId(), Map.of("hubspotscore", "71"));
        emulators.poll(SOURCE);
        assertThat(activitiesOf("Lead__c", lead.sfLeadId())).extracting(a -> a.get("Activity_Type__c")).containsExactly("Became MQL");
        assertThat(emulators.salesforce.org().get("Lead", lead.sfLeadId()).get("MQL_At__c")).isNotNull();
    }
}
