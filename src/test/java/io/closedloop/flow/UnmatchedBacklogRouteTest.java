package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementEventCodec;
import io.closedloop.core.ErrorKind;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backlog of people Salesforce does not know, larger than one retry batch, through the real retry route. */
class UnmatchedBacklogRouteTest {
    static final int PEOPLE = 3_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private Emulators emulators;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        emulators.startDaemon();
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    static String payload(int i, Instant at) {
        return payload(i, "nobody" + i + "@unknown" + (i % 50) + ".example", at);
    }

    static String payload(int i, String email, Instant at) {
        return EngagementEventCodec.toJson(new EngagementEvent("email:u" + i + ":1", EngagementEvent.Source.EMAIL,
                ActivityType.EMAIL_OPEN, at, email, null, "Campaign", null, null, Map.of()));
    }

    private Map<Integer, Long> attemptsByCount() {
        return emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn("hubspot-email-events"), PEOPLE + 1).stream()
                .collect(Collectors.groupingBy(ParkedRecords.ParkedRecord::attempts, Collectors.counting()));
    }

    @Test
    void everyUnmatchedPersonIsRetriedNotOnlyTheOldestBatch() {
        ParkedRecords parked = emulators.startedStore().parked();
        for (int i = 0; i < PEOPLE; i++) {
            parked.park("hubspot-email-events", "email:u" + i + ":1", payload(i, clock.instant()),
                    "no Salesforce Lead or Contact has this email yet", ErrorKind.SKIPPABLE, "UNMATCHED");
        }

        emulators.poll("salesforce-unmatched-retry");

        assertThat(attemptsByCount()).isEqualTo(Map.of(2, (long) PEOPLE));
    }

    @Test
    void aRecordIsRetriedAgainOnlyOnceItsBackoffHasPassed() {
        ParkedRecords parked = emulators.startedStore().parked();
        parked.park("hubspot-email-events", "email:u1:1", payload(1, clock.instant()), "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");

        emulators.poll("salesforce-unmatched-retry");
        emulators.poll("salesforce-unmatched-retry");
        assertThat(attemptsByCount()).as("the second run comes before the 15-minute backoff").isEqualTo(Map.of(2, 1L));

        clock.advance(Duration.ofMinutes(15));
        emulators.poll("salesforce-unmatched-retry");
        assertThat(attemptsByCount()).isEqualTo(Map.of(3, 1L));
        clock.advance(Duration.ofMinutes(15));
        emulators.poll("salesforce-unmatched-retry");
        assertThat(attemptsByCount()).as("the backoff doubled to 30 minutes").isEqualTo(Map.of(3, 1L));
        clock.advance(Duration.ofMinutes(15));
        emulators.poll("salesforce-unmatched-retry");
        assertThat(attemptsByCount()).isEqualTo(Map.of(4, 1L));
        assertThat(List.of(parked.find("hubspot-email-events", "email:u1:1").orElseThrow().firstSeen()))
                .allSatisfy(first -> assertThat(first).isBefore(clock.instant()));
    }

    @Test
    void aPersonRetriedEveryDayStillExpiresOnceTheRetentionHasPassedSinceASourceParkedIt() throws Exception {
        ParkedRecords parked = emulators.startedStore().parked();
        var record = parked.park("hubspot-email-events", "email:u1:1", payload(1, clock.instant()), "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
        for (int day = 1; day <= 30; day++) {
            clock.advance(Duration.ofDays(1));
            emulators.poll("salesforce-unmatched-retry");
        }
        assertThat(parked.byId(record.id())).hasValueSatisfying(r -> assertThat(r.attempts()).as("retried daily at the cap").isGreaterThan(25));
        clock.advance(Duration.ofHours(1));
        try (org.apache.camel.ProducerTemplate template = emulators.runtime().camelContext().createProducerTemplate()) {
            template.sendBody("direct:state-retention-run", null);
        }
        assertThat(parked.byId(record.id())).as("parked 30 days and 1 hour ago, CLOSEDLOOP_PARKED_RETENTION is 30d").isEmpty();
    }
}
