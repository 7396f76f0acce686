package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Flow 2 on an org whose mapping leaves a status out (the modern profile, Unqualified in no key): a rejection with a
 * reason still reaches HubSpot under the default rule; with the rule off it is parked as UNMAPPED_STATUS, counted and
 * shown in health, and reaches HubSpot once the mapping names the status and replay runs. Log lines count only writes.
 */
class UnmappedStatusRouteTest {
    private static final String SOURCE = "salesforce-dispositions";
    private static final String MAPPING = String.join("\n", "status.working=Working", "status.converted=Qualified", "status.rejected=",
            "status.none=New, Nurturing", "");

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private SalesforceOrg org;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        org = emulators.salesforce.org();
        org.useProfile(SalesforceOrgProfile.MODERN);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(8), org, emulators.hubspot.portal(), clock);
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(HubSpotDispositionWriter.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(HubSpotDispositionWriter.class)).detachAppender(log);
        emulators.close();
    }

    private World.Person lead() {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).findFirst().orElseThrow();
    }

    private void startWith(String mapping) throws Exception {
        Path file = Files.writeString(dir.resolve("dispositions-" + System.nanoTime() + ".properties"), mapping);
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", file.toString());
        emulators.startDaemon(env, Map.of());
    }

    private void unqualify(World.Person p) {
        org.update("Lead", p.sfLeadId(), Map.of("Status", "Unqualified", "Rejection_Reason__c", "Not a Fit",
                "Rejection_Detail__c", "Consultancy of three; our product needs a sales team"));
    }

    private Map<String, String> contact(World.Person p) {
        return emulators.hubspot.portal().contact(p.hubspotContactId());
    }

    private List<Note> notesOf(World.Person p) {
        return emulators.hubspot.portal().notes().stream().filter(n -> n.contactIds().contains(p.hubspotContactId())).toList();
    }

    private List<String> sentLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("dispositions to HubSpot")).toList();
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + emulators.runtime().settings().httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aRejectedLeadWithAReasonInAnUnmappedStatusReachesHubSpotUnderTheDefaultRule() throws Exception {
        World.Person lead = lead();
        ListAppender<ILoggingEvent> rule = new ListAppender<>();
        rule.start();
        Logger flowLog = (Logger) LoggerFactory.getLogger(io.closedloop.flow.feedback.FeedbackFlow.class);
        flowLog.addAppender(rule);
        startWith(MAPPING);
        emulators.poll(SOURCE);
        unqualify(lead);
        emulators.poll(SOURCE);
        // a second Lead in the same status, in a later poll: the rule is said once, not per Lead
        World.Person other = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null
                && !p.equals(lead)).findFirst().orElseThrow();
        unqualify(other);
        emulators.poll(SOURCE);
        flowLog.detachAppender(rule);
        assertThat(rule.list).filteredOn(e -> e.getFormattedMessage().contains("\"Unqualified\" is in no status.* key")).hasSize(1);
        assertThat(contact(other)).containsEntry("sales_disposition", "rejected");

        assertThat(contact(lead)).containsEntry("sales_disposition", "rejected").containsEntry("sales_rejection_reason", "not_a_fit")
                .containsEntry("sales_rejection_detail", "Consultancy of three; our product needs a sales team");
        assertThat(notesOf(lead)).singleElement().satisfies(n -> assertThat(n.properties().get("hs_note_body")).contains("Reason: Not a Fit"));
        assertThat(emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(SOURCE), 10)).isEmpty();
        assertThat(sentLines()).anySatisfy(l -> assertThat(l).contains("sent 1 dispositions to HubSpot (1 notes)"));
    }

    @Test
    void withTheRuleOffItIsParkedCountedShownAndReachesHubSpotAfterTheMappingIsFixedAndReplayed() throws Exception {
        World.Person lead = lead();
        startWith(MAPPING + "rejection.unmapped-status-with-reason=park\n");
        emulators.poll(SOURCE);
        long writesBefore = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        unqualify(lead);
        emulators.poll(SOURCE);

        assertThat(contact(lead)).doesNotContainKey("sales_disposition");
        assertThat(notesOf(lead)).isEmpty();
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(writesBefore);
        List<ParkedRecords.ParkedRecord> parked = emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(SOURCE), 10);
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo("UNMAPPED_STATUS");
            assertThat(r.recordKey()).startsWith(lead.sfLeadId());
            assertThat(r.reason()).contains("\"Unqualified\"");
        });
        assertThat(get("/observe/metrics")).contains("closedloop_dispositions_unmapped_total{status=\"Unqualified\"} 1.0");
        assertThat(get("/observe/health")).contains("Unqualified=1");
        // the poll wrote nothing, and its log line says so
        assertThat(sentLines()).last().asString().contains("sent 0 dispositions").contains("1 unmapped status");

        emulators.stopDaemon();
        startWith(MAPPING.replace("status.rejected=", "status.rejected=Unqualified") + "rejection.unmapped-status-with-reason=park\n");
        var result = emulators.runtime().parkedReplay().replay(parked);
        assertThat(result.flows()).singleElement().satisfies(f -> assertThat(f.resolved()).isEqualTo(1));
        assertThat(contact(lead)).containsEntry("sales_disposition", "rejected").containsEntry("sales_rejection_reason", "not_a_fit");
        assertThat(notesOf(lead)).hasSize(1);
    }

    @Test
    void noPollLogsSentForAWriteThatDidNotHappen() throws Exception {
        startWith(MAPPING);
        emulators.poll(SOURCE);
        // leads only touched (their status carries no verdict): at most the owner is refreshed, no disposition is sent
        world.people().stream().filter(p -> p.match() == World.Match.LEAD).limit(3)
                .forEach(p -> org.update("Lead", p.sfLeadId(), Map.of("Status", "Nurturing")));
        emulators.poll(SOURCE);
        assertThat(sentLines()).noneMatch(l -> l.matches(".*sent [1-9].*"));
    }
}
