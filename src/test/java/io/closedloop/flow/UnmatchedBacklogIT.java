package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ErrorKind;
import io.closedloop.salesforce.SalesforceSoql;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 parked people unknown to Salesforce: each retry run tries every one that is due, on its backoff, and
 * pays only batched identity queries (counted from the Salesforce emulator's call journal).
 */
class UnmatchedBacklogIT {
    static final int PEOPLE = 100_000;
    static final int PAGE = 1_000;
    static final String FLOW = "hubspot-email-events";

    @TempDir
    Path dir;

    @Test
    void everyOneOfAHundredThousandUnmatchedPeopleIsRetriedOnScheduleWithBatchedQueriesOnly() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (Emulators emulators = new Emulators(dir, clock)) {
            // the Composite floor is what this measures; above SALESFORCE_LIVE_BULK_THRESHOLD the same load goes through Bulk
            Map<String, String> env = emulators.env();
            env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100000");
            emulators.startDaemon(env, Map.of());
            // nothing parked yet: the run only waits for the startup schema check, whose calls are not the retry's
            emulators.poll("salesforce-unmatched-retry");
            ParkedRecords parked = emulators.startedStore().parked();
            List<String> emails = new ArrayList<>();
            List<ParkedRecords.Parking> chunk = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                String email = "nobody" + i + "@company" + (i % 400) + ".example";
                emails.add(email);
                chunk.add(new ParkedRecords.Parking(FLOW, "email:u" + i + ":1", UnmatchedBacklogRouteTest.payload(i, email, clock.instant()),
                        "no Salesforce Lead or Contact has this email yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED));
                if (chunk.size() == 5_000) {
                    parked.parkAll(chunk);
                    chunk.clear();
                }
            }
            // ids follow the parking order, so each retry page holds these emails, a thousand at a time
            long composites = 0;
            for (int from = 0; from < PEOPLE; from += PAGE) {
                composites += (long) Math.ceil(2.0 * SalesforceSoql.inLists(emails.subList(from, from + PAGE),
                        SalesforceSoql.MAX_IN_CLAUSE_CHARS).size() / 5);
            }
            emulators.salesforce.journal().reset();

            long started = System.nanoTime();
            emulators.poll("salesforce-unmatched-retry");
            long firstRunMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(attemptsHistogram(emulators)).isEqualTo(Map.of(2, (long) PEOPLE));
            Map<String, Long> calls = emulators.salesforce.journal().counts();
            System.out.printf("retry of %d unmatched people: %d ms, Salesforce calls %s (identity composites expected: %d)%n",
                    PEOPLE, firstRunMs, calls, composites);
            assertThat(calls.keySet()).allSatisfy(k -> assertThat(List.of("POST salesforce.composite", "POST salesforce.token")).contains(k));
            assertThat(calls.get("POST salesforce.composite")).isEqualTo(composites);

            clock.advance(Duration.ofMinutes(14));
            emulators.salesforce.journal().reset();
            emulators.poll("salesforce-unmatched-retry");
            assertThat(attemptsHistogram(emulators)).as("not due before the 15-minute backoff").isEqualTo(Map.of(2, (long) PEOPLE));
            assertThat(emulators.salesforce.journal().total()).isZero();

            clock.advance(Duration.ofMinutes(1));
            emulators.poll("salesforce-unmatched-retry");
            assertThat(attemptsHistogram(emulators)).isEqualTo(Map.of(3, (long) PEOPLE));
            assertThat(emulators.salesforce.journal().count("salesforce.composite")).isEqualTo(composites);
            assertThat(parked.countParked(true)).isEqualTo(PEOPLE);
        }
    }

    private static Map<Integer, Long> attemptsHistogram(Emulators emulators) throws Exception {
        Map<Integer, Long> out = new TreeMap<>();
        try (Connection c = emulators.startedStore().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT attempts, COUNT(*) FROM parked_record GROUP BY attempts")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }
}
