package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow 2 through the real YAML routes: the sales verdict in Salesforce reaches the contact in HubSpot. */
class DispositionsToHubSpotRouteTest {
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

    private List<Note> notesOf(World.Person p) {
        return emulators.hubspot.portal().notes().stream().filter(n -> n.contactIds().contains(p.hubspotContactId())).toList();
    }

    private void reject(World.Person p, String reason, String detail) {
        org.update("Lead", p.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", reason, "Rejection_Detail__c", detail));
    }

    @Test
    void aRejectedLeadReachesHubSpotOnceAsPropertiesAndOneNoteAcrossPollsAndARestart() throws Exception {
        World.Person lead = leads(1).get(0);
        emulators.startDaemon();
        emulators.poll(SOURCE);
        reject(lead, "No budget", "Budget frozen until Q3 after the hiring freeze");
        emulators.poll(SOURCE);

        Map<String, String> c = contact(lead);
        assertThat(c).containsEntry("sales_disposition", "rejected").containsEntry("sales_rejection_reason", "no_budget")
                .containsEntry("sales_rejection_detail", "Budget frozen until Q3 after the hiring freeze")
                .containsEntry("hs_lead_status", "UNQUALIFIED").containsKey("sales_disposition_at").containsKey("sales_owner");
        assertThat(notesOf(lead)).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body"))
                .contains("rejected this lead").contains("Reason: No budget").contains("Budget frozen until Q3"));

        long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        emulators.poll(SOURCE);
        emulators.stopDaemon();
        emulators.startDaemon();
        emulators.poll(SOURCE);
        assertThat(notesOf(lead)).hasSize(1);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
    }

    @Test
    void theLifecycleStageMovesBackwardsOnlyWhenTheRulesAllowIt() throws Exception {
        List<World.Person> two = leads(2);
        two.forEach(p -> emulators.hubspot.portal().updateContact(p.hubspotContactId(), Map.of("lifecyclestage", "salesqualifiedlead")));
        emulators.startDaemon();
        emulators.poll(SOURCE);
        reject(two.get(0), "Timing", "Revisit after their ERP migration in January");
        emulators.poll(SOURCE);
        assertThat(contact(two.get(0))).containsEntry("lifecyclestage", "salesqualifiedlead").containsEntry("sales_disposition", "rejected");
        emulators.stopDaemon();

        Path rules = Files.writeString(dir.resolve("backwards.properties"), "hubspot.lifecycle.allow-backwards=true\n");
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        emulators.startDaemon(env, Map.of());
        reject(two.get(1), "Timing", "Reorg under way; call back next quarter");
        emulators.poll(SOURCE);
        assertThat(contact(two.get(1))).containsEntry("lifecyclestage", "lead").containsEntry("hs_lead_status", "UNQUALIFIED");
    }

    @Test
    void hubSpotWriteCallsStayAtTheBatchFloor() throws Exception {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String email = "rejected" + i + "@floor.example";
            emulators.hubspot.portal().createContact(Map.of("email", email, "lifecyclestage", "marketingqualifiedlead"));
            many.add(org.insert("Lead", Map.of("LastName", "Floor " + i, "Company", "Floor Co", "Email", email)));
        }
        emulators.startDaemon();
        emulators.poll(SOURCE);
        long before = writes();
        many.forEach(id -> org.update("Lead", id, Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "Not in ICP",
                "Rejection_Detail__c", "12-person agency; we sell to teams of 200+")));
        emulators.poll(SOURCE);
        long writes = writes() - before;
        long updates = many.size();
        long noteBatches = (long) Math.ceil(many.size() / 100.0);
        assertThat(emulators.hubspot.portal().notes()).hasSize(many.size());
        assertThat(emulators.hubspot.portal().contacts()).filteredOn(c -> String.valueOf(c.get("email")).endsWith("@floor.example"))
                .allSatisfy(c -> assertThat(c).containsEntry("sales_rejection_reason", "not_in_icp"));
        assertThat(writes).isLessThanOrEqualTo((long) Math.floor(1.2 * (Math.ceil(updates / 100.0) + noteBatches)));
    }

    private static final String OPS_TOKEN = "ops-token-for-attribution-0123";

    private long writes() {
        return emulators.hubspot.journal().count("hubspot.contacts.batch.update") + emulators.hubspot.journal().count("hubspot.notes.batch.create")
                + emulators.hubspot.journal().count("hubspot.notes.create");
    }

    @Test
    void aWonOpportunitySetsTheWonAmountAndIsAttributedToTheCampaignsThatTouchedItsContacts() throws Exception {
        World.Person lead = leads(1).get(0);
        emulators.hubspot.portal().addEmailEvent(new io.closedloop.sandbox.hubspot.EmailEvent("w-1", clock.millis() - 60_000, "CLICK",
                lead.email(), world.campaigns().get(0).id(), Map.of()));
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_OPS_TOKEN", OPS_TOKEN);
        var runtime = emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-email-events");
        emulators.poll(SOURCE);

        SalesforceOrg.ConvertResult converted = org.convertLead(lead.sfLeadId(), lead.company().accountId(), true);
        String campaign = org.insert("Campaign", Map.of("Name", "Spring webinar"));
        org.update("Opportunity", converted.opportunityId(), Map.of("Amount", new BigDecimal("30000"), "CampaignId", campaign));
        org.insert("OpportunityContactRole", Map.of("OpportunityId", converted.opportunityId(), "ContactId", converted.contactId(),
                "IsPrimary", true));
        org.update("Opportunity", converted.opportunityId(), Map.of("StageName", "Closed Won", "CloseDate", LocalDate.now()));
        emulators.poll(SOURCE);

        assertThat(contact(lead)).containsEntry("sales_disposition", "won").containsEntry("closed_won_amount", "30000")
                .containsEntry("lifecyclestage", "customer");
        var attribution = emulators.startedStore().dispositions().attributionOf(converted.opportunityId());
        String emailCampaign = world.campaigns().get(0).name();
        assertThat(attribution).anySatisfy(a -> {
            assertThat(a.model()).isEqualTo("first_touch");
            assertThat(a.campaign()).isEqualTo(emailCampaign);
            assertThat(a.amount()).isEqualByComparingTo("30000");
        });
        assertThat(attribution).filteredOn(a -> a.model().equals("last_touch")).singleElement()
                .satisfies(a -> assertThat(a.campaign()).isEqualTo(emailCampaign));
        assertThat(attribution).filteredOn(a -> a.model().equals("linear")).extracting(a -> a.campaign())
                .containsExactlyInAnyOrder(emailCampaign, "Spring webinar");
        assertThat(attribution).filteredOn(a -> a.model().equals("linear")).allSatisfy(a -> assertThat(a.amount()).isEqualByComparingTo("15000"));

        // the ops API shows the totals per model
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + runtime.settings().httpPort() + "/observe/attribution"))
                        .header("Authorization", "Bearer " + OPS_TOKEN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(json.path("models").path("linear").findValuesAsText("campaign")).contains("Spring webinar", emailCampaign);
        assertThat(json.path("models").path("first_touch").get(0).path("amount").decimalValue()).isEqualByComparingTo("30000");
    }

    @Test
    void whatTheSimulatedSalesTeamDecidesReachesHubSpotOnceWithItsReasonAndDetail() throws Exception {
        List<World.Person> mqls = leads(6);
        mqls.forEach(p -> org.update("Lead", p.sfLeadId(), Map.of("MQL_At__c", clock.instant().minusSeconds(3600))));
        // a team that rejects every MQL at once, so each lead gets a reason and a detail of its own
        var team = new io.closedloop.sandbox.world.SalesTeamSimulator(org, clock, 7L,
                new io.closedloop.sandbox.world.SalesTeamSimulator.Config(0, 1.0, 0, java.time.Duration.ZERO, java.time.Duration.ofMillis(1), 0));
        emulators.startDaemon();
        emulators.poll(SOURCE);
        assertThat(team.work().rejected()).isGreaterThanOrEqualTo(mqls.size());
        emulators.poll(SOURCE);
        emulators.stopDaemon();
        emulators.startDaemon();
        emulators.poll(SOURCE);

        for (World.Person p : mqls) {
            Map<String, Object> sf = org.get("Lead", p.sfLeadId());
            String reason = (String) sf.get("Rejection_Reason__c");
            assertThat(contact(p)).containsEntry("sales_disposition", "rejected")
                    .containsEntry("sales_rejection_reason", io.closedloop.hubspot.HubSpotPropertySetup.optionValue(reason))
                    .containsEntry("sales_rejection_detail", (String) sf.get("Rejection_Detail__c"));
            assertThat(notesOf(p)).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body"))
                    .contains("Reason: " + reason.replace("&", "&amp;")));
        }
    }

    @Test
    void aReasonHubSpotDoesNotOfferYetIsParkedAloneAndReplayedOnceTheOptionExists() throws Exception {
        List<World.Person> two = leads(2);
        emulators.startDaemon();
        emulators.poll(SOURCE);
        // an admin adds a rejection reason in Salesforce while the daemon runs: HubSpot's options lag behind
        org.replacePicklistValues("Lead", "Rejection_Reason__c", "No budget", "Not decision maker", "Not in ICP", "Bad contact data",
                "Competitor chosen", "Timing", "Duplicate", "Other", "Budget cut");
        reject(two.get(0), "Budget cut", "Lost half their marketing budget");
        reject(two.get(1), "No budget", "Budget frozen until Q3 after the hiring freeze");
        emulators.poll(SOURCE);

        assertThat(contact(two.get(1))).containsEntry("sales_rejection_reason", "no_budget");
        assertThat(contact(two.get(0))).doesNotContainKey("sales_rejection_reason");
        var parked = emulators.startedStore().parked().list(io.closedloop.state.ParkedRecords.Filter.parkedIn(SOURCE), 10);
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(r.recordKey()).startsWith(two.get(0).sfLeadId());
            assertThat(r.reason()).contains("budget_cut");
        });

        // after a restart the property setup adds the option; replaying the parked record writes it once
        emulators.stopDaemon();
        var runtime = emulators.startDaemon();
        var result = runtime.parkedReplay().replay(parked);
        assertThat(result.flows()).singleElement().satisfies(f -> assertThat(f.resolved()).isEqualTo(1));
        assertThat(contact(two.get(0))).containsEntry("sales_rejection_reason", "budget_cut")
                .containsEntry("sales_rejection_detail", "Lost half their marketing budget");
        assertThat(notesOf(two.get(0))).hasSize(1);
        runtime.parkedReplay().replay(emulators.startedStore().parked().list(io.closedloop.state.ParkedRecords.Filter.all(), 10));
        assertThat(notesOf(two.get(0))).hasSize(1);
    }

    @Test
    void aNoteAnnouncedButNeverConfirmedIsFoundOnTheTimelineInsteadOfBeingCreatedAgain() throws Exception {
        World.Person lead = leads(1).get(0);
        emulators.startDaemon();
        emulators.poll(SOURCE);
        reject(lead, "Competitor chosen", "Signed a two-year deal with a competitor last month");
        emulators.poll(SOURCE);
        assertThat(notesOf(lead)).hasSize(1);
        emulators.stopDaemon();

        // the daemon died after HubSpot created the note and before it confirmed it: only the announcement is left
        try (var store = io.closedloop.state.StateStore.open("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "", clock);
             var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM event_ledger WHERE event_id LIKE 'note:%'")).isEqualTo(1);
            st.executeUpdate("DELETE FROM disposition_state");
        }
        emulators.startDaemon();
        long searches = emulators.hubspot.journal().count("hubspot.notes.search");
        emulators.poll(SOURCE);
        assertThat(notesOf(lead)).hasSize(1);
        assertThat(emulators.hubspot.journal().count("hubspot.notes.search") - searches).isEqualTo(1);
        assertThat(contact(lead)).containsEntry("sales_rejection_reason", "competitor_chosen");
    }
}
