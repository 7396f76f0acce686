package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --backfill} against both emulators: on a seeded 14-day world it writes nothing, and what it announces
 * (activities, parked by reason, dispositions and notes for HubSpot, Bulk jobs and Composite calls) is what the
 * backfill then does.
 */
class PlanBackfillIT {
    private static final String EMAIL = "hubspot-email-events";
    private static final String ACTIVITY_UPSERTS = "salesforce.collections.upsert Marketing_Activity__c";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private Emulators emulators;
    private BackfillHistory history;
    private Map<String, String> env;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void seed() throws Exception {
        emulators = new Emulators(dir, clock);
        history = new BackfillHistory(emulators, clock, 60, 6);
        // people Salesforce does not know, and an address no one can have: their events are parked, with their reasons
        List<String> emails = new ArrayList<>(history.world.people().stream().filter(p -> p.match() == World.Match.UNKNOWN).limit(3)
                .map(World.Person::email).toList());
        assertThat(emails).isNotEmpty();
        emails.add("no-address.example");
        Instant now = clock.instant();
        long seq = 0;
        for (int day = 0; day < 14; day++) {
            for (String email : emails) {
                long created = now.minus(Duration.ofDays(day)).minus(Duration.ofHours(3)).toEpochMilli() - (++seq);
                emulators.hubspot.portal().addEmailEvent(new EmailEvent("parked-" + seq, created, "OPEN", email,
                        history.world.campaigns().get(0).id(), Map.of()));
            }
        }
        env = emulators.env();
        // windows of two days hold ~130 events: a chunk of 100 (Bulk, above 50 activities) and the rest (Composite)
        env.put("SALESFORCE_BULK_THRESHOLD", "50");
        env.put("CLOSEDLOOP_POLL_CHUNK", "100");
        ConfigOption.environment = env;
        BackfillCommand.sleeper = d -> { };
    }

    @AfterEach
    void restore() throws Exception {
        ConfigOption.environment = originalEnvironment;
        BackfillCommand.sleeper = d -> Thread.sleep(d.toMillis());
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        emulators.close();
    }

    private int cli(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return BackfillHistory.execute(out, err, clock, env, args);
    }

    @Test
    void thePlanWritesNothingAndItsCountsAreWhatTheBackfillThenDoes() throws Exception {
        assertThat(cli("plan", "--backfill", "--since", "14d", "--window", "2d", "--json")).as(err.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString());

        // no write of any kind reached either system: no create, update, upsert, Bulk job or Composite write
        List<String> endpoints = new ArrayList<>();
        emulators.salesforce.journal().calls().forEach(c -> endpoints.add(c.endpoint()));
        emulators.hubspot.journal().calls().forEach(c -> endpoints.add(c.endpoint()));
        assertThat(endpoints).isNotEmpty().noneMatch(e -> e.matches(".*(create|update|upsert|delete|upload|close|archive).*"));
        // Composite calls of the plan carry queries and describes only
        assertThat(emulators.salesforce.compositeSubrequests().keySet()).allMatch(k -> k.matches("salesforce\\.(query|describe)\\b.*"));
        assertThat(emulators.salesforce.org().all("Marketing_Activity__c")).isEmpty();
        assertThat(emulators.hubspot.portal().notes()).isEmpty();
        long planSalesforceCalls = emulators.salesforce.journal().calls().stream().filter(c -> !c.endpoint().equals("salesforce.token")).count();
        assertThat(plan.at("/apiCalls/salesforce/spentByThisPlan").asLong()).as("the plan counts its own reads").isPositive()
                .isLessThanOrEqualTo(planSalesforceCalls);

        JsonNode writes = plan.path("salesforceWrites");
        assertThat(writes.path("bulkWrites").asLong()).as("writes above the threshold").isPositive();
        assertThat(writes.path("compositeWrites").asLong()).as("writes below it").isPositive();
        long planActivities = 0;
        for (JsonNode source : plan.path("engagement")) {
            planActivities += source.path("activities").asLong();
        }
        Map<String, Long> planParked = new TreeMap<>();
        plan.path("engagement").fields().forEachRemaining(s -> s.getValue().path("parked").fields()
                .forEachRemaining(p -> planParked.put(s.getKey() + " " + p.getKey(), p.getValue().asLong())));
        JsonNode feedback = plan.path("salesforce-dispositions");
        assertThat(planActivities).isEqualTo(history.expected.size());
        assertThat(plan.at("/engagement/" + EMAIL + "/readAgainInOverlaps").asLong()).as("chunks overlap by their oldest millisecond")
                .isPositive();
        assertThat(planParked).containsKeys(EMAIL + " UNMATCHED", EMAIL + " INVALID_EMAIL");
        assertThat(feedback.path("notes").asLong()).isEqualTo(history.rejected.size());

        CallJournal salesforce = emulators.salesforce.journal();
        long jobsBefore = salesforce.count("salesforce.bulk.create");
        assertThat(cli("backfill", "--since", "14d", "--window", "2d")).as(err.toString()).isZero();

        assertThat(history.activityIds(emulators)).hasSize((int) planActivities).doesNotHaveDuplicates();
        assertThat(salesforce.count("salesforce.bulk.create") - jobsBefore).as("Bulk jobs").isEqualTo(writes.path("bulkJobs").asLong());
        // every Composite write of activities is below the threshold (50 < 200): one Collections subrequest a call
        assertThat(emulators.salesforce.compositeSubrequests().getOrDefault(ACTIVITY_UPSERTS, 0L)).as("Composite calls")
                .isEqualTo(writes.path("compositeCalls").asLong());
        assertThat(emulators.hubspot.portal().notes()).hasSize(feedback.path("notes").asInt());
        assertThat(sent(out.toString())).as(out.toString()).isEqualTo(feedback.path("sent").asLong());

        Map<String, Long> parked = new TreeMap<>();
        Map<String, Long> parkedFeedback = new TreeMap<>();
        try (StateStore store = StateStore.open(TestSettings.settings(dir, env), clock)) {
            for (ParkedRecords.Count c : store.parked().summary()) {
                if (c.flow().startsWith("backfill:")) {
                    parkedFeedback.put(c.errorCode(), c.count());
                } else {
                    parked.put(c.flow() + " " + c.errorCode(), c.count());
                }
            }
        }
        assertThat(parked).isEqualTo(planParked);
        assertThat(parkedFeedback.getOrDefault("AWAITING_CONTACT", 0L)).isEqualTo(feedback.at("/parked/AWAITING_CONTACT").asLong());
        assertThat(parkedFeedback.getOrDefault("UNMAPPED_STATUS", 0L)).isEqualTo(feedback.at("/parked/UNMAPPED_STATUS").asLong());
    }

    @Test
    void textPlanNamesTheWritesAndBadOptionsAreNamedLikeTheBackfills() {
        assertThat(cli("plan", "--backfill", "--since", "3d", "--flows", "engagement")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Backfill plan, ", EMAIL + ": read ", "via Bulk (1 job)", "API calls, salesforce: ",
                "dry run: nothing").doesNotContain("salesforce-dispositions:");
        assertThat(emulators.salesforce.org().all("Marketing_Activity__c")).isEmpty();
        assertThat(cli("plan", "--backfill", "--since", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--since: expected");
        assertThat(cli("plan", "--backfill", "--since", "14d", "--flows", "everything")).isEqualTo(2);
        assertThat(err.toString()).contains("--flows: expected engagement, feedback or both, got \"everything\"");
        assertThat(cli("plan", "--backfill")).isEqualTo(2);
        assertThat(err.toString()).contains("--since: plan --backfill needs");
        assertThat(cli("plan", "--until", "1d")).isEqualTo(2);
        assertThat(err.toString()).contains("--until: only with --backfill");
    }

    private static long sent(String output) {
        Matcher m = Pattern.compile("dispositions sent (\\d+)").matcher(output);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
