package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.world.World;
import io.closedloop.testsupport.Emulators;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code closedloop backfill} end to end against both emulators: a world with 14 days of history. */
class BackfillCommandIT {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private Emulators emulators;
    private BackfillHistory history;
    private Set<String> expected;
    private List<World.Person> rejected;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void seed() throws Exception {
        emulators = new Emulators(dir, clock);
        history = new BackfillHistory(emulators, clock, 60, 6);
        expected = history.expected;
        rejected = history.rejected;
        Map<String, String> env = emulators.env();
        env.put("SALESFORCE_BULK_THRESHOLD", "50");
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

    private int backfill(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("backfill"));
        all.addAll(List.of(args));
        return BackfillHistory.execute(out, err, clock, ConfigOption.environment, all.toArray(String[]::new));
    }

    private List<Object> activityIds() {
        return history.activityIds(emulators);
    }

    @Test
    void fourteenDaysAreWrittenOnceThroughBulkRejectionsSentOnceAndASecondRunWritesNothing() {
        assertThat(backfill("--since", "14d")).as(err.toString()).isZero();

        assertThat(activityIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(emulators.salesforce.journal().count("salesforce.bulk.create")).as("windows of 60 events, threshold 50").isPositive();
        assertThat(emulators.hubspot.portal().notes()).hasSize(rejected.size());
        rejected.forEach(p -> assertThat(emulators.hubspot.portal().contact(p.hubspotContactId()))
                .containsEntry("sales_disposition", "rejected"));
        // summary fields once at the end, from what the ledger holds: the newest activity of each person
        World.Person lead = rejected.get(0);
        Object last = emulators.salesforce.org().get("Lead", lead.sfLeadId()).get("Last_Marketing_Activity_At__c");
        assertThat(last).isNotNull();
        // the seeded world's other leads carry dispositions of their own (working, converted): sent too, as the live flow would
        assertThat(out.toString()).contains("Backfill done: read " + expected.size(), "wrote " + expected.size(), "parked 0")
                .containsPattern("dispositions sent [1-9]\\d*");

        long jobs = emulators.salesforce.journal().count("salesforce.bulk.create");
        assertThat(backfill("--since", "14d")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote 0", "dispositions sent 0");
        assertThat(activityIds()).hasSize(expected.size());
        assertThat(emulators.hubspot.portal().notes()).hasSize(rejected.size());
        assertThat(emulators.salesforce.journal().count("salesforce.bulk.create")).as("nothing to write, no job").isEqualTo(jobs);
    }

    @Test
    void interruptedAtRandomPointsTheSameCommandContinuesWithNothingLostAndNothingTwice() {
        emulators.hubspot.faults().failRate("hubspot.email.events", Fault.serverError(503), 0.3);
        int runs = 0;
        int exit;
        do {
            exit = backfill("--since", "14d", "--flows", "engagement");
            runs++;
            assertThat(exit).as(err.toString()).isIn(0, 1);
        } while (exit != 0 && runs < 40);
        assertThat(exit).isZero();
        assertThat(runs).as("the faults interrupted it").isGreaterThan(1);
        assertThat(activityIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(emulators.hubspot.portal().notes()).isEmpty();
    }

    @Test
    void aDryRunCountsAndWritesNothingAndBadOptionsAreNamed() {
        assertThat(backfill("--since", "14d", "--dry-run", "--flows", "engagement")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Dry run, nothing written: read " + expected.size());
        assertThat(activityIds()).isEmpty();
        assertThat(backfill("--since", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--since: expected");
        assertThat(backfill("--since", "14d", "--flows", "everything")).isEqualTo(2);
        assertThat(err.toString()).contains("--flows: expected engagement, feedback or both, got \"everything\"");
    }
}
