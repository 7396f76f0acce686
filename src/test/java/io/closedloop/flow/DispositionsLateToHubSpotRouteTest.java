package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ErrorKind;
import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 2 through the real YAML routes, for what becomes sendable only later: a contact that reaches HubSpot after the
 * Lead was worked, and a contact role added to an opportunity after it closed (salesforce-api.md §7.5).
 */
class DispositionsLateToHubSpotRouteTest {
    private static final String SOURCE = "salesforce-dispositions";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-04T09:00:00Z"));
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

    private void startDaemon(String contactWait) throws Exception {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_CONTACT_WAIT", contactWait);
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "15m");
        emulators.startDaemon(env, Map.of());
    }

    /** A Lead sales created by itself, rejected: its email has no HubSpot contact (yet). */
    private String rejectedLeadWithoutContact(String email) {
        String id = org.insert("Lead", Map.of("LastName", "Late", "Company", "Late Co", "Email", email));
        clock.advance(Duration.ofSeconds(5));
        org.update("Lead", id, Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "Timing",
                "Rejection_Detail__c", "Call back after the reorg"));
        return id;
    }

    private Map<String, String> contactByEmail(String email) {
        return emulators.hubspot.portal().contacts().stream().filter(c -> email.equals(c.get("email"))).findFirst().orElseThrow();
    }

    private List<Note> notesOf(String contactId) {
        return emulators.hubspot.portal().notes().stream().filter(n -> n.contactIds().contains(contactId)).toList();
    }

    private List<ParkedRecords.ParkedRecord> parked() {
        return emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(SOURCE), 10);
    }

    private long contactReads() {
        return emulators.hubspot.journal().count("hubspot.contacts.batch.read");
    }

    @Test
    void aRejectedLeadWhoseContactAppearsInHubSpotLaterReachesIt() throws Exception {
        startDaemon("7d");
        emulators.poll(SOURCE);
        String email = "late.contact@late.example";
        rejectedLeadWithoutContact(email);
        emulators.poll(SOURCE);

        // marketing's form brings the person into HubSpot an hour later
        String contactId = emulators.hubspot.portal().createContact(Map.of("email", email, "lifecyclestage", "marketingqualifiedlead"));
        clock.advance(Duration.ofHours(1));
        emulators.poll(SOURCE);

        assertThat(contactByEmail(email)).containsEntry("sales_disposition", "rejected").containsEntry("sales_rejection_reason", "timing")
                .containsEntry("sales_rejection_detail", "Call back after the reorg");
        assertThat(notesOf(contactId)).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body")).contains("Reason: Timing"));
        assertThat(parked()).isEmpty();
        clock.advance(Duration.ofHours(1));
        emulators.poll(SOURCE);
        assertThat(notesOf(contactId)).hasSize(1);
    }

    @Test
    void aContactStillMissingAfterTheWaitIsParkedWithItsReasonAndNoLongerRetried() throws Exception {
        startDaemon("2h");
        emulators.poll(SOURCE);
        String email = "never.there@late.example";
        String leadId = rejectedLeadWithoutContact(email);
        emulators.poll(SOURCE);
        assertThat(parked()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo("AWAITING_CONTACT");
            assertThat(r.errorKind()).isEqualTo(ErrorKind.RETRIABLE);
            assertThat(r.reason()).doesNotContain(email);
        });

        long reads = contactReads();
        clock.advance(Duration.ofMinutes(30));
        emulators.poll(SOURCE);
        assertThat(contactReads()).as("retried within the wait").isGreaterThan(reads);
        assertThat(parked()).singleElement().satisfies(r -> assertThat(r.errorCode()).isEqualTo("AWAITING_CONTACT"));

        clock.advance(Duration.ofHours(2));
        emulators.poll(SOURCE);
        assertThat(parked()).singleElement().satisfies(r -> {
            assertThat(r.recordKey()).startsWith(leadId);
            assertThat(r.errorCode()).isEqualTo("NOT_IN_HUBSPOT");
            assertThat(r.errorKind()).isEqualTo(ErrorKind.SKIPPABLE);
            assertThat(r.reason()).contains("no HubSpot contact").contains("PT2H").doesNotContain(email);
        });

        // given up: later polls leave it alone, even once the contact exists; a replay sends it
        String contactId = emulators.hubspot.portal().createContact(Map.of("email", email));
        reads = contactReads();
        clock.advance(Duration.ofHours(1));
        emulators.poll(SOURCE);
        assertThat(contactReads()).isEqualTo(reads);
        assertThat(contactByEmail(email)).doesNotContainKey("sales_disposition");
        var result = emulators.runtime().parkedReplay().replay(parked());
        assertThat(result.flows()).singleElement().satisfies(f -> assertThat(f.resolved()).isEqualTo(1));
        assertThat(contactByEmail(email)).containsEntry("sales_disposition", "rejected");
        assertThat(notesOf(contactId)).hasSize(1);
    }

    @Test
    void aClosedWonOpportunityWhoseContactRoleIsAddedAfterItClosedSendsTheWonOutcome() throws Exception {
        World.Person lead = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        startDaemon("7d");
        emulators.poll(SOURCE);
        SalesforceOrg.ConvertResult converted = org.convertLead(lead.sfLeadId(), lead.company().accountId(), true);
        org.update("Opportunity", converted.opportunityId(), Map.of("Amount", new BigDecimal("42000"), "StageName", "Closed Won",
                "CloseDate", LocalDate.now(clock)));
        clock.advance(Duration.ofMinutes(5));
        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.portal().contact(lead.hubspotContactId())).doesNotContainEntry("sales_disposition", "won");

        // the rep records who bought a day after closing
        clock.advance(Duration.ofDays(1));
        org.insert("OpportunityContactRole", Map.of("OpportunityId", converted.opportunityId(), "ContactId", converted.contactId(),
                "IsPrimary", true));
        clock.advance(Duration.ofMinutes(5));
        emulators.poll(SOURCE);

        assertThat(emulators.hubspot.portal().contact(lead.hubspotContactId())).containsEntry("sales_disposition", "won")
                .containsEntry("closed_won_amount", "42000").containsEntry("lifecyclestage", "customer");
        assertThat(emulators.startedStore().dispositions().attributionOf(converted.opportunityId()))
                .filteredOn(a -> a.model().equals("first_touch")).singleElement()
                .satisfies(a -> assertThat(a.amount()).isEqualByComparingTo("42000"));
        long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        clock.advance(Duration.ofMinutes(5));
        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
    }
}
