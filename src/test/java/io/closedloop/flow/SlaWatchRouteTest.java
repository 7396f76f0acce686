package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.DispositionRules;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotPropertySetup;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.MutableClock;
import io.closedloop.state.SlaClocks;
import io.closedloop.core.SlaStatus;
import io.closedloop.flow.sla.SlaWatch;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-off SLA watch through the real YAML routes, against both emulators, under a clock the test moves. */
class SlaWatchRouteTest {
    private static final String CHANGES = "hubspot-contact-changes";
    private static final String WATCH = "sla-watch";
    /** Tuesday 3 March 2026, 08:00 UTC. */
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

    private ClosedloopRuntime start(String slaSettings) throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        Path rules = Files.writeString(dir.resolve("dispositions.properties"), slaSettings);
        env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        // the seeded MQLs became MQLs days before Closedloop's first poll: no first-poll catch-up starts clocks of its own
        String longAgo = clock.instant().minus(Duration.ofDays(2)).toString();
        world.people().stream().map(World.Person::hubspotContactId)
                .filter(id -> "marketingqualifiedlead".equals(emulators.hubspot.portal().contact(id).get("lifecyclestage")))
                .forEach(id -> emulators.hubspot.portal().updateContact(id, Map.of("hs_lifecyclestage_marketingqualifiedlead_date", longAgo)));
        ClosedloopRuntime runtime = emulators.startDaemon(env, Map.of());
        // property setup is not wired at startup yet: the emulator refuses properties that do not exist
        HubSpotClient hubspot = runtime.camelContext().getRegistry().lookupByNameAndType("hubSpotClient", HubSpotClient.class);
        new HubSpotPropertySetup(hubspot).ensure(HubSpotPropertySetup.salesFeedback(List.of("No budget"),
                Arrays.stream(io.closedloop.core.Disposition.values()).map(io.closedloop.core.Disposition::label).toList(), SlaStatus.labels()));
        emulators.poll(CHANGES);
        return runtime;
    }

    private World.Person ownedLead() {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null
                && p.ownerId() != null && p.ownerId().startsWith("005")
                && "lead".equals(emulators.hubspot.portal().contact(p.hubspotContactId()).get("lifecyclestage"))).findFirst().orElseThrow();
    }

    /** The contact becomes an MQL in HubSpot and Flow 1 writes the moment (which starts the clock). */
    private Instant becomeMql(World.Person person) {
        clock.advance(Duration.ofSeconds(5));
        Instant at = clock.instant();
        emulators.hubspot.portal().updateContact(person.hubspotContactId(), Map.of("lifecyclestage", "marketingqualifiedlead"));
        clock.advance(Duration.ofSeconds(5));
        emulators.poll(CHANGES);
        return at;
    }

    private SlaClocks.SlaClock clockOf(World.Person p) {
        return emulators.startedStore().slaClocks().find(p.hubspotContactId()).orElseThrow();
    }

    private String slaStatus(World.Person p) {
        return emulators.hubspot.portal().contact(p.hubspotContactId()).get(SlaStatus.STATUS_PROPERTY);
    }

    private List<Map<String, Object>> breachTasks(World.Person p) {
        return emulators.salesforce.org().query("SELECT Id, OwnerId, Subject, Status, Priority FROM Task WHERE WhoId = '" + p.sfLeadId()
                + "' AND Subject LIKE 'Hand-off SLA breached%'");
    }

    private long hubspotUpdates() {
        return emulators.hubspot.journal().count("hubspot.contacts.batch.update");
    }

    private double breachCount(ClosedloopRuntime runtime) {
        MeterRegistry registry = runtime.camelContext().getRegistry().findSingleByType(MeterRegistry.class);
        Counter counter = registry.find(SlaWatch.BREACHES_METRIC).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anUnworkedMqlBreachesExactlyOnceAndClearsAsWorkedLateWhenTheRepActs() throws Exception {
        ClosedloopRuntime runtime = start("sla.hours=4\nsla.notify-manager=true\n");
        World.Person person = ownedLead();
        Instant mqlAt = becomeMql(person);

        SlaClocks.SlaClock started = clockOf(person);
        assertThat(started.status()).isEqualTo(SlaClocks.Status.RUNNING);
        assertThat(started.ownerId()).isEqualTo(person.ownerId());
        assertThat(started.dueAt()).isEqualTo(started.startedAt().plus(Duration.ofHours(4)));
        assertThat(started.startedAt()).isBetween(mqlAt, clock.instant());

        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("on_track");
        assertThat(Instant.parse(emulators.hubspot.portal().contact(person.hubspotContactId()).get(SlaStatus.DUE_PROPERTY)))
                .isEqualTo(started.dueAt());

        clock.advance(Duration.ofHours(3));
        emulators.poll(WATCH);
        assertThat(breachTasks(person)).isEmpty();
        assertThat(slaStatus(person)).isEqualTo("on_track");

        clock.advance(Duration.ofHours(2));
        long updatesBefore = hubspotUpdates();
        for (int i = 0; i < 6; i++) {
            emulators.poll(WATCH);
            clock.advance(Duration.ofMinutes(10));
        }
        String manager = (String) emulators.salesforce.org().get("User", person.ownerId()).get("ManagerId");
        assertThat(breachTasks(person)).hasSize(2).extracting(t -> t.get("OwnerId")).containsExactlyInAnyOrder(person.ownerId(), manager);
        assertThat(breachTasks(person)).allSatisfy(t -> {
            assertThat((String) t.get("Subject")).startsWith("Hand-off SLA breached: MQL waiting since ").contains("2026");
            assertThat(t.get("Status")).isEqualTo("Not Started");
            assertThat(t.get("Priority")).isEqualTo("High");
        });
        assertThat(slaStatus(person)).isEqualTo("breached");
        assertThat(hubspotUpdates() - updatesBefore).isEqualTo(1);
        assertThat(clockOf(person).status()).isEqualTo(SlaClocks.Status.BREACHED);
        assertThat(breachCount(runtime)).isEqualTo(1.0);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("CLOSEDLOOP_HTTP_PORT") + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("closedloop_sla_breaches_total 1.0");

        // the rep finally works the lead: the breach clears as worked late, and is not counted again
        emulators.salesforce.org().update("Lead", person.sfLeadId(), Map.of("Status", "Working - Contacted"));
        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("worked_late");
        SlaClocks.SlaClock ended = clockOf(person);
        assertThat(ended.status()).isEqualTo(SlaClocks.Status.BREACHED);
        assertThat(ended.stoppedAt()).isNotNull();
        assertThat(ended.stopReason()).isEqualTo("Lead Status changed to Working - Contacted");
        emulators.poll(WATCH);
        assertThat(breachTasks(person)).hasSize(2);
        assertThat(breachCount(runtime)).isEqualTo(1.0);
    }

    @Test
    void anMqlWorkedInTimeEndsMetWithoutABreach() throws Exception {
        ClosedloopRuntime runtime = start("sla.hours=4\n");
        World.Person person = ownedLead();
        becomeMql(person);
        emulators.poll(WATCH);

        clock.advance(Duration.ofHours(1));
        // Closedloop's own key-moment style Tasks do not count; the rep's logged call does
        emulators.salesforce.org().insert("Task", Map.of("WhoId", person.sfLeadId(), "OwnerId", person.ownerId(), "Subject", "Marketing: x",
                "Status", "Completed", "Priority", "Normal", "Closedloop_Event_Id__c", "task:x"));
        emulators.poll(WATCH);
        assertThat(clockOf(person).status()).isEqualTo(SlaClocks.Status.RUNNING);
        emulators.salesforce.org().insert("Task", Map.of("WhoId", person.sfLeadId(), "OwnerId", person.ownerId(), "Subject", "Call",
                "Status", "Completed", "Priority", "Normal", "TaskSubtype", "Call"));
        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("met");
        assertThat(clockOf(person).status()).isEqualTo(SlaClocks.Status.MET);
        assertThat(clockOf(person).stopReason()).isEqualTo("Task logged");

        clock.advance(Duration.ofHours(10));
        long updates = hubspotUpdates();
        emulators.poll(WATCH);
        emulators.poll(WATCH);
        assertThat(breachTasks(person)).isEmpty();
        assertThat(hubspotUpdates()).isEqualTo(updates);
        assertThat(slaStatus(person)).isEqualTo("met");
        assertThat(breachCount(runtime)).isZero();
    }

    @Test
    void businessHoursPushTheDueTimeOverTheWeekend() throws Exception {
        // Friday 6 March 2026, 15:00 in Berlin (14:00 UTC): two business hours left that day
        clock.set(Instant.parse("2026-03-06T14:00:00Z"));
        start("sla.hours=4\nsla.business-hours=09:00-17:00 MON-FRI Europe/Berlin\n");
        World.Person person = ownedLead();
        becomeMql(person);
        // two hours on Friday, two from Monday 09:00 Berlin: due Monday 11:00 Berlin, 10:00 UTC
        Instant due = clockOf(person).dueAt();
        assertThat(due).isBetween(Instant.parse("2026-03-09T10:00:00Z"), Instant.parse("2026-03-09T10:01:00Z"));
        emulators.poll(WATCH);
        assertThat(Instant.parse(emulators.hubspot.portal().contact(person.hubspotContactId()).get(SlaStatus.DUE_PROPERTY))).isEqualTo(due);

        clock.set(Instant.parse("2026-03-08T12:00:00Z"));
        emulators.poll(WATCH);
        clock.set(due.minusSeconds(60));
        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("on_track");
        assertThat(breachTasks(person)).isEmpty();

        clock.set(due.plusSeconds(60));
        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("breached");
        assertThat(breachTasks(person)).singleElement().satisfies(t -> assertThat((String) t.get("Subject")).contains("Fri 6 Mar 2026 15:00"));
    }

    @Test
    void clocksSurviveADaemonRestart() throws Exception {
        start("sla.hours=2\n");
        World.Person person = ownedLead();
        becomeMql(person);
        emulators.poll(WATCH);
        Instant startedAt = clockOf(person).startedAt();

        emulators.stopDaemon();
        clock.advance(Duration.ofHours(3));
        ClosedloopRuntime again = emulators.startDaemon(env, Map.of());
        // the MQL moment read again after the restart starts no second clock
        emulators.poll(CHANGES);
        assertThat(clockOf(person).startedAt()).isEqualTo(startedAt);
        emulators.poll(WATCH);
        emulators.poll(WATCH);
        assertThat(slaStatus(person)).isEqualTo("breached");
        assertThat(breachTasks(person)).hasSize(1);
        assertThat(breachCount(again)).isEqualTo(1.0);
    }
}
