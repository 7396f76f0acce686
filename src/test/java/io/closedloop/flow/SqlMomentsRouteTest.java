package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL definition (sql.on in config/dispositions.properties, working and converted as shipped) through the real
 * feedback routes against both emulators: each SQL moment reaches HubSpot (sales_qualified_at) and Salesforce
 * (SQL_At__c) once, across polls and a restart.
 */
class SqlMomentsRouteTest {
    private static final String SOURCE = "salesforce-dispositions";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private SalesforceOrg org;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        org = emulators.salesforce.org();
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private List<World.Person> leads(int n) {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).limit(n).toList();
    }

    private Map<String, String> contact(World.Person p) {
        return emulators.hubspot.portal().contact(p.hubspotContactId());
    }

    private Object sqlAt(String sobject, String id) {
        return org.get(sobject, id).get("SQL_At__c");
    }

    @Test
    void sqlMomentsReachBothSystemsOnceAcrossPollsAndARestart() throws Exception {
        List<World.Person> three = leads(3);
        World.Person working = three.get(0);
        World.Person converted = three.get(1);
        World.Person rejected = three.get(2);
        emulators.startDaemon();
        emulators.poll(SOURCE);
        assertThat(contact(working)).doesNotContainKey("sales_qualified_at");

        org.update("Lead", working.sfLeadId(), Map.of("Status", "Working - Contacted"));
        SalesforceOrg.ConvertResult conversion = org.convertLead(converted.sfLeadId(), converted.company().accountId(), false);
        org.update("Lead", rejected.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget"));
        emulators.poll(SOURCE);

        // HubSpot and Salesforce hold the same instant: the Lead's change that made it an SQL
        String hubspotAt = contact(working).get("sales_qualified_at");
        assertThat(hubspotAt).isNotBlank();
        Object leadAt = sqlAt("Lead", working.sfLeadId());
        assertThat(leadAt).isNotNull();
        assertThat(Instant.parse(leadAt.toString())).isEqualTo(Instant.parse(hubspotAt));
        // a converted Lead cannot be updated: its moment goes on the Contact it became
        assertThat(sqlAt("Contact", conversion.contactId())).isNotNull();
        assertThat(contact(converted).get("sales_qualified_at")).isNotBlank();
        // a rejection is no SQL
        assertThat(contact(rejected)).doesNotContainKey("sales_qualified_at");
        assertThat(sqlAt("Lead", rejected.sfLeadId())).isNull();

        Object contactStamp = org.get("Contact", conversion.contactId()).get("SystemModstamp");
        long hubspotUpdates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        // the same lead worked again later is the same SQL, not a second one
        org.update("Lead", working.sfLeadId(), Map.of("Status", "Open - Not Contacted"));
        emulators.poll(SOURCE);
        org.update("Lead", working.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(SOURCE);
        emulators.stopDaemon();
        emulators.startDaemon();
        emulators.poll(SOURCE);
        emulators.poll(SOURCE);

        assertThat(contact(working)).containsEntry("sales_qualified_at", hubspotAt);
        assertThat(sqlAt("Lead", working.sfLeadId())).isEqualTo(leadAt);
        assertThat(org.get("Contact", conversion.contactId()).get("SystemModstamp")).isEqualTo(contactStamp);
        assertThat(emulators.startedStore().sqlMoments().since(Instant.EPOCH)).hasSize(2)
                .allSatisfy(m -> assertThat(m.hubspotAt()).isNotNull()).allSatisfy(m -> assertThat(m.salesforceAt()).isNotNull());
        // only the two disposition updates of the status changes reached HubSpot since, none of them an SQL write
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update") - hubspotUpdates).isEqualTo(2);
    }

    @Test
    void aValueAlreadyInSalesforceIsKeptAndStillCountsAsWritten() throws Exception {
        World.Person lead = leads(1).get(0);
        Instant byHand = Instant.parse("2026-01-05T09:00:00Z");
        org.update("Lead", lead.sfLeadId(), Map.of("SQL_At__c", byHand));
        emulators.startDaemon();
        emulators.poll(SOURCE);
        org.update("Lead", lead.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(SOURCE);
        assertThat(Instant.parse(sqlAt("Lead", lead.sfLeadId()).toString())).isEqualTo(byHand);
        assertThat(contact(lead).get("sales_qualified_at")).isNotBlank();
        assertThat(emulators.startedStore().sqlMoments().pending(10)).isEmpty();
    }

    @Test
    void anEmptyDefinitionWritesNoSqlMoment() throws Exception {
        World.Person lead = leads(1).get(0);
        Path rules = Files.writeString(dir.resolve("no-sql.properties"), "sql.on=\n");
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        emulators.startDaemon(env, Map.of());
        emulators.poll(SOURCE);
        org.update("Lead", lead.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(SOURCE);
        assertThat(contact(lead)).containsEntry("sales_disposition", "working").doesNotContainKey("sales_qualified_at");
        assertThat(sqlAt("Lead", lead.sfLeadId())).isNull();
    }

    @Test
    void aWriteSalesforceRefusesStaysPendingIsCountedAndDoesNotHoldBackHubSpot() throws Exception {
        World.Person lead = leads(1).get(0);
        var runtime = emulators.startDaemon();
        emulators.poll(SOURCE);
        // the integration user lost edit access to the field: each update of it is refused, record by record
        org.revokeFieldEdit("Lead", "SQL_At__c");
        org.update("Lead", lead.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(SOURCE);
        assertThat(contact(lead).get("sales_qualified_at")).isNotBlank();
        assertThat(sqlAt("Lead", lead.sfLeadId())).isNull();
        assertThat(emulators.startedStore().sqlMoments().pending(10)).singleElement().satisfies(m -> {
            assertThat(m.hubspotAt()).isNotNull();
            assertThat(m.salesforceAt()).isNull();
        });
        var registry = runtime.camelContext().getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        var failed = registry.find(io.closedloop.flow.feedback.SalesQualifiedMoments.FAILED_METRIC).tag("system", "salesforce").counter();
        assertThat(failed).isNotNull();
        assertThat(failed.count()).isEqualTo(1.0);
        // tried again on the next poll, still pending; the disposition itself went through
        emulators.poll(SOURCE);
        assertThat(failed.count()).isEqualTo(2.0);
        assertThat(contact(lead)).containsEntry("sales_disposition", "working");
    }

    @Test
    void anOrgWithoutSqlAtKeepsSendingDispositionsAndTheMomentWaitsForTheField() throws Exception {
        World.Person lead = leads(1).get(0);
        var runtime = emulators.startDaemon();
        emulators.poll(SOURCE);
        // an org that took the new version before deploying the package's SQL_At__c: its query is refused as INVALID_FIELD
        org.removeField("Lead", "SQL_At__c");
        org.update("Lead", lead.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(SOURCE);
        // the rejection feedback does not stop: the disposition and HubSpot's SQL moment went through
        assertThat(contact(lead)).containsEntry("sales_disposition", "working");
        assertThat(contact(lead).get("sales_qualified_at")).isNotBlank();
        assertThat(emulators.startedStore().sqlMoments().pending(10)).singleElement()
                .satisfies(m -> assertThat(m.salesforceAt()).isNull());
        var registry = runtime.camelContext().getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(registry.find(io.closedloop.flow.feedback.SalesQualifiedMoments.FAILED_METRIC).tag("system", "salesforce")
                .counter().count()).isEqualTo(1.0);
        // a later rejection still reaches HubSpot
        World.Person other = leads(2).get(1);
        org.update("Lead", other.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget"));
        emulators.poll(SOURCE);
        assertThat(contact(other)).containsEntry("sales_disposition", "rejected");
    }
}
