package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.ShiftedClock;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backfill --since 10d --until 3d}: every source keeps to the range (email events, form submissions, list joins,
 * dispositions), and the dispositions are read window by window, each window its own read.
 */
class BackfillUntilIT {
    @TempDir
    Path dir;

    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private final Clock originalClock = BackfillCommand.clock;

    @AfterEach
    void restore() {
        ConfigOption.environment = originalEnvironment;
        BackfillCommand.clock = originalClock;
        BackfillCommand.sleeper = d -> Thread.sleep(d.toMillis());
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
    }

    @Test
    void untilBoundsEverySourceAndDispositionsAreReadWindowByWindow() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        Instant now = clock.instant();
        // the world and its first rejections five days ago (in the range), more rejections a day ago (after it)
        clock.advance(Duration.ofDays(-5));
        try (Emulators emulators = new Emulators(dir, clock)) {
            World world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
            List<World.Person> people = world.people().stream().filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null)
                    .limit(8).toList();
            List<World.Person> leads = people.stream().filter(p -> p.match() == World.Match.LEAD).toList();
            assertThat(leads).hasSizeGreaterThanOrEqualTo(2);
            World.Person inRange = leads.get(0);
            World.Person after = leads.get(1);
            reject(emulators, inRange);
            clock.advance(Duration.ofDays(4));
            reject(emulators, after);
            clock.advance(Duration.ofDays(1));

            String form = emulators.hubspot.portal().addForm("Demo request");
            emulators.hubspot.portal().addList("77", "Webinar");
            long campaign = world.campaigns().get(0).id();
            for (World.Person p : people) {
                for (int daysAgo : new int[] {12, 5, 1}) {
                    long at = now.minus(Duration.ofDays(daysAgo)).toEpochMilli();
                    emulators.hubspot.portal().addEmailEvent(new EmailEvent("u-" + p.hubspotContactId() + "-" + daysAgo, at, "OPEN", p.email(),
                            campaign, Map.of()));
                    emulators.hubspot.portal().addFormSubmission(form, at + 1, "https://www.example.com/demo", Map.of("email", p.email()));
                }
            }
            // list joins: half five days ago (in the range), half a day ago (after it)
            for (int i = 0; i < people.size(); i++) {
                emulators.hubspot.portal().addListMember("77", people.get(i).hubspotContactId(), now.minus(Duration.ofDays(i % 2 == 0 ? 5 : 1)));
            }

            Map<String, String> env = emulators.env();
            env.put("HUBSPOT_LIST_IDS", "77");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(BackfillHistory.execute(out, err, clock, env, "backfill", "--since", "10d", "--until", "3d")).as(err.toString()).isZero();

            List<Map<String, Object>> activities = emulators.salesforce.org().all("Marketing_Activity__c");
            Instant since = now.minus(Duration.ofDays(10));
            Instant until = now.minus(Duration.ofDays(3));
            assertThat(activities).isNotEmpty().allSatisfy(a -> {
                Object v = a.get("Occurred_At__c");
                Instant at = v instanceof Instant i ? i : io.closedloop.sandbox.salesforce.SalesforceValues.parseDateTime(String.valueOf(v));
                assertThat(at).as(String.valueOf(a.get("Closedloop_Event_Id__c"))).isBetween(since, until);
            });
            Map<Object, Long> byType = activities.stream().collect(Collectors.groupingBy(a -> a.get("Activity_Type__c"), Collectors.counting()));
            assertThat(byType).as(byType.toString()).containsEntry("Email Open", (long) people.size())
                    .containsEntry("Form Submission", (long) people.size()).containsEntry("List Joined", (long) (people.size() + 1) / 2);

            // the rejection in the range reached HubSpot; the one after --until did not
            assertThat(notesOf(emulators, inRange)).hasSize(1);
            assertThat(notesOf(emulators, after)).isEmpty();
            // dispositions were read one window (day) at a time: seven windows, each its own read
            try (StateStore store = StateStore.open(env.get("CLOSEDLOOP_DB_URL"), "sa", "", Clock.systemUTC())) {
                List<SyncRuns.SyncRun> runs = store.runs().recent("backfill:salesforce-dispositions", 50);
                assertThat(runs).hasSizeGreaterThanOrEqualTo(7).allMatch(r -> r.status() == SyncRuns.Status.SUCCEEDED);
            }
        }
    }

    private static void reject(Emulators emulators, World.Person p) {
        emulators.salesforce.org().update("Lead", p.sfLeadId(), Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", "No budget",
                "Rejection_Detail__c", "Frozen"));
    }

    private static List<Note> notesOf(Emulators emulators, World.Person p) {
        return emulators.hubspot.portal().notes().stream().filter(n -> n.contactIds().contains(p.hubspotContactId())).toList();
    }
}
