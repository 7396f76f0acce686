package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ErrorKind;
import io.closedloop.flow.feedback.FeedbackFlow;
import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.TimeWindowCursor;
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

    private TimeWindowCursor dispositionsCursor() {
        return TimeWindowCursor.parse(emulators.runtime().store().cursors().get(SOURCE).orElseThrow());
    }

    /**
     * A poll reads back a few seconds before its watermark, and once a minute a poll sweeps the whole late-commit
     * overlap: a Lead saved with a SystemModstamp older than that and visible only later (salesforce-api.md §2.4, "keep
     * the watermark a few seconds behind now to absorb commit latency") still reaches HubSpot, by the next sweep, while a
     * Lead modified once is not read again at every poll of the next minute.
     */
    @Test
    void aLeadThatCommittedLateIsReadByTheNextSweepNotByThePollsBetween() throws Exception {
        assertThat(FeedbackFlow.SETTLE).isGreaterThan(SalesforceDispositionReader.OVERLAP);
        List<World.Person> leads = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .limit(2).toList();
        World.Person onTime = leads.get(0);
        World.Person late = leads.get(1);
        emulators.startDaemon();
        emulators.poll(SOURCE);
        // the first poll is a sweep
        Instant firstSweep = dispositionsCursor().sweptAt();
        assertThat(firstSweep).isAfter(Instant.EPOCH);

        clock.advance(Duration.ofSeconds(30));
        reject(onTime);
        emulators.poll(SOURCE);
        assertThat(disposition(onTime)).isEqualTo("rejected");
        assertThat(dispositionsCursor().sweptAt()).isEqualTo(firstSweep);

        // a save stamped 20 s before the watermark that becomes visible only now: a late commit
        clock.advance(Duration.ofSeconds(-20));
        reject(late);
        clock.advance(Duration.ofSeconds(25));
        emulators.poll(SOURCE);
        // a poll between sweeps reads back 5 s before its watermark: not as far as the late Lead
        assertThat(disposition(late)).isNull();
        assertThat(dispositionsCursor().sweptAt()).isEqualTo(firstSweep);

        clock.advance(SalesforceDispositionReader.SWEEP_PERIOD.minusSeconds(30));
        emulators.poll(SOURCE);
        // the sweep reads back the whole overlap and the period: the late Lead is sent, once
        assertThat(disposition(late)).isEqualTo("rejected");
        assertThat(dispositionsCursor().sweptAt()).isAfter(firstSweep);
        long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        emulators.poll(SOURCE);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
    }

    /**
     * A sweep's deep read holds two minutes of modifications (many pages, each a round trip): the records modified
     * since the watermark are read, sent and committed first, so a rejection does not wait for it. Measured at a 1 s
     * round trip with the deep read first: rejection to HubSpot p50 26 s. Here the deep read fails outright, and the
     * fresh rejection has reached HubSpot all the same.
     */
    @Test
    void aSweepSendsWhatIsNewBeforeItsDeepReadWhichFailingTakesNothingAlreadySent() throws Exception {
        World.Person lead = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        emulators.startDaemon();
        emulators.poll(SOURCE);
        Instant firstSweep = dispositionsCursor().sweptAt();

        clock.advance(SalesforceDispositionReader.SWEEP_PERIOD);
        reject(lead);
        // the sweep poll's first read is let through; every call after it (the deep read and its retries) fails
        io.closedloop.sandbox.http.Fault[] faults = new io.closedloop.sandbox.http.Fault[21];
        java.util.Arrays.fill(faults, 1, faults.length, io.closedloop.sandbox.http.Fault.serverError(503));
        emulators.salesforce.faults().script("salesforce.composite", faults);
        try {
            emulators.poll(SOURCE);
        } catch (RuntimeException failed) {
            // the deep read's failure, once its retries ran out
        }
        emulators.salesforce.faults().clear();

        assertThat(disposition(lead)).as("sent before the deep read").isEqualTo("rejected");
        assertThat(dispositionsCursor().sweptAt()).as("the sweep did not happen").isEqualTo(firstSweep);
        long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");

        // the next poll sweeps, and sends nothing twice
        emulators.poll(SOURCE);
        assertThat(dispositionsCursor().sweptAt()).isAfter(firstSweep);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
    }

    private void reject(World.Person p) {
        org.update("Lead", p.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget",
                "Rejection_Detail__c", "Frozen until Q3"));
    }

    private String disposition(World.Person p) {
        return emulators.hubspot.portal().contact(p.hubspotContactId()).get("sales_disposition");
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
