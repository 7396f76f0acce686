package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.MarketingSlaStatus;
import io.closedloop.flow.sla.ReverseSlaWatch;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.Task;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.testsupport.Emulators;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse SLA through the real YAML routes against both emulators, under a clock the test moves: sales hands a
 * lead back in Salesforce, Flow 2 tells HubSpot and starts marketing's clock, the watch raises the breach (one HubSpot
 * task for the contact owner, marketing_sla_status, a metric) and marketing's action, seen by the engagement sources,
 * ends it.
 */
class ReverseSlaRouteTest {
    private static final String DISPOSITIONS = "salesforce-dispositions";
    private static final String LISTS = "hubspot-list-memberships";
    private static final String CHANGES = "hubspot-contact-changes";
    private static final String WATCH = "reverse-sla-watch";
    private static final String NURTURE = "4242";
    private static final String OWNER = "41629779";
    /** The modern org's statuses, Nurturing handing a lead back. */
    private static final String MODERN_RULES = "status.none=New\nstatus.working=Working\nstatus.rejected=Unqualified\n"
            + "status.recycled=Nurturing\nstatus.converted=Qualified\n";
    private static final Instant TUESDAY = Instant.parse("2026-03-03T08:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(TUESDAY);
    private Emulators emulators;
    private World world;
    private Map<String, String> env;

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
    }

    private void start(SalesforceOrgProfile profile, String rules) throws Exception {
        emulators = new Emulators(dir, clock);
        emulators.salesforce.org().useProfile(profile);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(8), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        emulators.hubspot.portal().addList(NURTURE, "Nurture: back to marketing");
        env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", Files.writeString(dir.resolve("dispositions.properties"), rules).toString());
        emulators.startDaemon(env, Map.of());
        // baselines: the first poll of each source reads where things stand
        emulators.poll(DISPOSITIONS);
        emulators.poll(LISTS);
        emulators.poll(CHANGES);
    }

    private void restart() throws Exception {
        emulators.stopDaemon();
        emulators.startDaemon(env, Map.of());
    }

    private World.Person lead(int n) {
        World.Person p = world.people().stream().filter(x -> x.match() == World.Match.LEAD && x.duplicateSfId() == null).skip(n)
                .findFirst().orElseThrow();
        emulators.hubspot.portal().updateContact(p.hubspotContactId(), Map.of("hubspot_owner_id", OWNER));
        return p;
    }

    /** Sales changes the Lead; Flow 2 reads it once it has settled and writes it to HubSpot. */
    private void salesDoes(World.Person p, Map<String, Object> fields) {
        emulators.salesforce.org().update("Lead", p.sfLeadId(), fields);
        clock.advance(Duration.ofMinutes(2));
        emulators.poll(DISPOSITIONS);
    }

    /** A lead sales recycled five hours ago under a four-hour reverse SLA, marketing having done nothing. */
    private World.Person recycledAndOverdue() throws Exception {
        start(SalesforceOrgProfile.MODERN, MODERN_RULES + "reverse-sla.hours=4\nreverse-sla.rejection-reasons=\n");
        World.Person person = lead(0);
        salesDoes(person, Map.of("Status", "Nurturing"));
        clock.advance(Duration.ofHours(5));
        return person;
    }

    private ReverseSlaClocks.ReverseClock clockOf(World.Person p) {
        return emulators.startedStore().reverseSlaClocks().find(p.hubspotContactId()).orElseThrow();
    }

    private String status(World.Person p) {
        return emulators.hubspot.portal().contact(p.hubspotContactId()).get(MarketingSlaStatus.STATUS_PROPERTY);
    }

    private List<Task> tasksOf(World.Person p) {
        return emulators.hubspot.portal().tasks().stream().filter(t -> t.contactIds().contains(p.hubspotContactId())).toList();
    }

    private double counter(String name) {
        MeterRegistry registry = emulators.runtime().camelContext().getRegistry().findSingleByType(MeterRegistry.class);
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRecycledLeadWithNoMarketingActionBreachesExactlyOnceAcrossARestartAndClearsWhenItJoinsTheNurtureList() throws Exception {
        start(SalesforceOrgProfile.MODERN, MODERN_RULES + "reverse-sla.hours=48\nreverse-sla.rejection-reasons=\nreverse-sla.nurture-list-id=" + NURTURE + "\n");
        World.Person person = lead(0);
        salesDoes(person, Map.of("Status", "Nurturing"));

        ReverseSlaClocks.ReverseClock started = clockOf(person);
        assertThat(started.status()).isEqualTo(ReverseSlaClocks.Status.RUNNING);
        assertThat(started.disposition()).isEqualTo("recycled");
        assertThat(started.dueAt()).isEqualTo(started.startedAt().plus(Duration.ofHours(48)));
        emulators.poll(WATCH);
        assertThat(status(person)).isEqualTo("pending");

        // the clock lives in the state store: a restart keeps it
        restart();
        assertThat(clockOf(person).startedAt()).isEqualTo(started.startedAt());
        assertThat(clockOf(person).announcedAt()).isNotNull();
        clock.advance(Duration.ofHours(47));
        emulators.poll(WATCH);
        assertThat(tasksOf(person)).isEmpty();
        assertThat(status(person)).isEqualTo("pending");

        clock.advance(Duration.ofHours(2));
        for (int i = 0; i < 3; i++) {
            emulators.poll(WATCH);
            clock.advance(Duration.ofMinutes(10));
        }
        restart();
        emulators.poll(WATCH);
        assertThat(tasksOf(person)).singleElement().satisfies(t -> {
            assertThat(t.properties()).containsEntry("hubspot_owner_id", OWNER).containsEntry("hs_task_status", "NOT_STARTED")
                    .containsEntry("hs_task_priority", "HIGH").containsEntry("hs_task_type", "TODO");
            assertThat(t.properties().get("hs_task_subject")).startsWith("Reverse SLA breached: lead handed back by sales on 3 Mar 2026");
            assertThat(t.properties().get("hs_task_body")).contains("recycled").doesNotContain("@");
        });
        assertThat(status(person)).isEqualTo("breached");
        assertThat(clockOf(person).status()).isEqualTo(ReverseSlaClocks.Status.BREACHED);
        assertThat(clockOf(person).taskId()).isEqualTo(tasksOf(person).get(0).id());
        assertThat(emulators.startedStore().reverseSlaClocks().counts().breached()).isEqualTo(1);

        // marketing finally adds the contact to the nurture list: the list source sees the join and the breach clears
        clock.advance(Duration.ofHours(1));
        emulators.hubspot.portal().addListMember(NURTURE, person.hubspotContactId(), clock.instant());
        clock.advance(Duration.ofMinutes(1));
        emulators.poll(LISTS);
        assertThat(clockOf(person).actReason()).isEqualTo("joined nurture list " + NURTURE);
        emulators.poll(WATCH);
        assertThat(status(person)).isEqualTo("cleared");
        assertThat(clockOf(person).status()).isEqualTo(ReverseSlaClocks.Status.CLEARED);
        assertThat(clockOf(person).stoppedAt()).isNotNull();
        long updates = emulators.hubspot.journal().count("hubspot.contacts.batch.update");
        emulators.poll(WATCH);
        emulators.poll(WATCH);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(updates);
        assertThat(tasksOf(person)).hasSize(1);
        assertThat(emulators.hubspot.journal().count("hubspot.tasks.create")).isEqualTo(1);
        assertThat(emulators.hubspot.journal().count("hubspot.associations.labels")).isEqualTo(1);
    }

    @Test
    void aTaskHubSpotCreatedButWhoseAnswerWasLostIsFoundAgainNotCreatedTwice() throws Exception {
        World.Person person = recycledAndOverdue();
        // HubSpot creates the task but its answer is cut off: the daemon never learns the id
        emulators.hubspot.faults().script("hubspot.tasks.create", io.closedloop.sandbox.http.Fault.malformedBody());
        try {
            emulators.poll(WATCH);
        } catch (RuntimeException failedPoll) {
            // the poll may end in error; what matters is what the next one does
        }
        restart();
        emulators.poll(WATCH);
        emulators.poll(WATCH);
        assertThat(tasksOf(person)).hasSize(1);
        assertThat(emulators.hubspot.journal().count("hubspot.tasks.create")).isEqualTo(1);
        assertThat(emulators.hubspot.journal().count("hubspot.tasks.search")).isPositive();
        assertThat(clockOf(person).taskId()).isEqualTo(tasksOf(person).get(0).id());
        assertThat(status(person)).isEqualTo("breached");
        assertThat(emulators.startedStore().reverseSlaClocks().counts().breached()).isEqualTo(1);
    }

    @Test
    void theBreachCountsOnceInTheMetricsOnObserve() throws Exception {
        World.Person person = recycledAndOverdue();
        emulators.poll(WATCH);
        emulators.poll(WATCH);
        assertThat(counter(ReverseSlaWatch.BREACHES_METRIC)).isEqualTo(1.0);
        assertThat(tasksOf(person)).hasSize(1);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("CLOSEDLOOP_HTTP_PORT") + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        // the in-process counter, and the counts read from the state store at each scrape (they survive restarts)
        assertThat(metrics.body()).contains("closedloop_reverse_sla_breaches_total 1.0").contains("closedloop_reverse_sla_breached_total 1.0")
                .contains("closedloop_reverse_sla_open 1.0").contains("closedloop_reverse_sla_met_ever_total 0.0");
        String sla = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("CLOSEDLOOP_HTTP_PORT") + "/observe/sla")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(sla).get("reverse").get("breachedTotal").asLong()).isEqualTo(1);
    }

    @Test
    void aLeadRejectedForTimingIsMetWhenMarketingMovesItsLifecycleStageInTime() throws Exception {
        start(SalesforceOrgProfile.CLASSIC, "reverse-sla.hours=24\nreverse-sla.rejection-reasons=Timing\n");
        World.Person timing = lead(0);
        World.Person noBudget = lead(1);
        salesDoes(timing, Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "Timing",
                "Rejection_Detail__c", "Reorg under way; call back next quarter"));
        salesDoes(noBudget, Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget",
                "Rejection_Detail__c", "Budget frozen until Q3 after the hiring freeze"));
        assertThat(emulators.startedStore().reverseSlaClocks().find(noBudget.hubspotContactId())).isEmpty();
        assertThat(clockOf(timing).reason()).isEqualTo("Timing");
        emulators.poll(WATCH);

        // the stage sales set on hand-back is not marketing's action; a move to another stage is
        clock.advance(Duration.ofHours(3));
        emulators.hubspot.portal().updateContact(timing.hubspotContactId(), Map.of("lifecyclestage", "subscriber"));
        clock.advance(Duration.ofMinutes(1));
        emulators.poll(CHANGES);
        assertThat(clockOf(timing).actReason()).isEqualTo("lifecycle stage changed to subscriber");
        endsMetWithNoTaskLater(timing, Duration.ofHours(30));
    }

    /** The watch ends the clock met (counted once), and long past the due time no task comes and nothing counts as a breach. */
    private void endsMetWithNoTaskLater(World.Person p, Duration later) {
        emulators.poll(WATCH);
        assertThat(status(p)).isEqualTo("met");
        assertThat(clockOf(p).status()).isEqualTo(ReverseSlaClocks.Status.MET);
        assertThat(counter(ReverseSlaWatch.MET_METRIC)).isEqualTo(1.0);

        clock.advance(later);
        emulators.poll(WATCH);
        assertThat(tasksOf(p)).isEmpty();
        assertThat(counter(ReverseSlaWatch.BREACHES_METRIC)).isZero();
        assertThat(status(p)).isEqualTo("met");
    }

    private int activitiesOf(World.Person p) {
        return emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c WHERE Lead__c = '" + p.sfLeadId() + "'").size();
    }

    @Test
    void aRecycledLeadIsMetWithNoTaskWhenMarketingChangesItsLeadStatusInTime() throws Exception {
        start(SalesforceOrgProfile.MODERN, MODERN_RULES + "reverse-sla.hours=4\nreverse-sla.rejection-reasons=\n");
        World.Person person = lead(0);
        salesDoes(person, Map.of("Status", "Nurturing"));
        emulators.poll(WATCH);
        String handedBack = emulators.hubspot.portal().contact(person.hubspotContactId()).get("hs_lead_status");
        // Flow 2 wrote hubspot.lead-status.recycled (OPEN unless configured); the clock keeps that value
        assertThat(handedBack).isEqualTo("OPEN");
        assertThat(clockOf(person).handedBackLeadStatus()).isEqualTo(handedBack);

        // the hand-back's own lead status (and stage), seen by the contact-changes source, is sales' move, not marketing's
        clock.advance(Duration.ofMinutes(1));
        emulators.poll(CHANGES);
        assertThat(clockOf(person).actedAt()).isNull();
        int activities = activitiesOf(person);

        // marketing moves the lead status within the four hours: no activity in Salesforce, the clock ends met
        clock.advance(Duration.ofHours(2));
        emulators.hubspot.portal().updateContact(person.hubspotContactId(), Map.of("hs_lead_status", "IN_PROGRESS"));
        clock.advance(Duration.ofMinutes(1));
        emulators.poll(CHANGES);
        assertThat(clockOf(person).actReason()).isEqualTo("lead status changed to IN_PROGRESS");
        assertThat(activitiesOf(person)).isEqualTo(activities);
        endsMetWithNoTaskLater(person, Duration.ofHours(6));
    }
}
