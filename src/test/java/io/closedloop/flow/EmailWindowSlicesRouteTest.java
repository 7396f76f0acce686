package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.LatencyModel;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.MutableClock;
import io.closedloop.state.SyncRuns;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a read has shown how dense the email events are, a window expected to hold two pages or more is read as time
 * slices at once (hubspot-api.md §2.1: both timestamps inclusive, each slice paged by its own offset), through the real
 * routes: every event is written once, the slices tile the window, and a burst beyond the estimate is cut at the chunk
 * and drained without a loss or a repeat.
 */
class EmailWindowSlicesRouteTest {
    private static final String SOURCE = "hubspot-email-events";
    private static final String EVENTS = "hubspot.email.events";
    private static final Pattern START = Pattern.compile("startTimestamp=(\\d+)");
    private static final Pattern END = Pattern.compile("endTimestamp=(\\d+)");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private Emulators emulators;
    private final List<String> emails = new ArrayList<>();
    private int seq;

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
    }

    private void start(Map<String, String> settings) throws Exception {
        emulators = new Emulators(dir, clock);
        SalesforceOrg org = emulators.salesforce.org();
        for (int i = 0; i < 50; i++) {
            emails.add("person" + i + "@slices.example");
            org.insert("Lead", Map.of("LastName", "Person " + i, "Email", emails.get(i), "Company", "Slices Co"));
        }
        emulators.hubspot.portal().addEmailCampaign(7L, "Slices", "Slices");
        Map<String, String> env = emulators.env();
        env.putAll(settings);
        emulators.startDaemon(env, Map.of());
        emulators.poll(SOURCE);
        emulators.hubspot.journal().reset();
    }

    /** {@code n} events spread over the next minute, then the minute passes and the source polls once. */
    private void minuteOf(int n) {
        long from = clock.millis();
        for (int i = 0; i < n; i++) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("s" + seq, from + 60_000L * i / n, seq % 2 == 0 ? "OPEN" : "CLICK",
                    emails.get(seq % emails.size()), 7L, Map.of()));
            seq++;
        }
        clock.advance(Duration.ofMinutes(1));
        emulators.poll(SOURCE);
    }

    /** The settle time keeps the newest second of a window for the next poll: a poll ten seconds later takes it. */
    private void tail() {
        clock.advance(Duration.ofSeconds(10));
        emulators.poll(SOURCE);
    }

    private Map<Object, Long> written() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c").stream()
                .collect(Collectors.groupingBy(r -> r.get("Closedloop_Event_Id__c"), Collectors.counting()));
    }

    /** {@code n} events written, each once, and the source's cursor with nothing left to drain. */
    private TimeWindowCursor writtenOnceAndDrained(int n) {
        Map<Object, Long> written = written();
        assertThat(written).hasSize(n);
        assertThat(written.values()).allMatch(c -> c == 1L);
        TimeWindowCursor cursor = cursor();
        assertThat(cursor.draining()).isFalse();
        return cursor;
    }

    private TimeWindowCursor cursor() {
        return TimeWindowCursor.parse(emulators.startedStore().cursors().get(SOURCE).orElseThrow());
    }

    /** The {start, end} of every email events call since the journal's reset, the pages of one slice once. */
    private TreeSet<List<Long>> slicesRead() {
        TreeSet<List<Long>> out = new TreeSet<>((a, b) -> a.get(0).equals(b.get(0)) ? Long.compare(a.get(1), b.get(1))
                : Long.compare(a.get(0), b.get(0)));
        for (CallJournal.Call c : emulators.hubspot.journal().calls()) {
            if (!c.endpoint().equals(EVENTS) || c.query() == null) {
                continue;
            }
            Matcher s = START.matcher(c.query());
            Matcher e = END.matcher(c.query());
            // the clock check asks for one event at a single instant
            if (s.find() && e.find() && !s.group(1).equals(e.group(1))) {
                out.add(List.of(Long.parseLong(s.group(1)), Long.parseLong(e.group(1))));
            }
        }
        return out;
    }

    @Test
    void aWindowOfSeveralPagesIsReadAsTimeSlicesAtOnceThatTileItAndEveryEventIsWrittenOnce() throws Exception {
        start(Map.of());
        // the first window with events is read page after page: nothing is known yet of how dense they are
        minuteOf(3_000);
        assertThat(slicesRead()).hasSize(1);

        emulators.hubspot.journal().reset();
        emulators.hubspot.faults().latency(EVENTS, LatencyModel.fixed(Duration.ofMillis(200)));
        minuteOf(3_000);

        // about 3,000 expected: three slices of about a page each, read at the same time, with no gap and no overlap
        List<List<Long>> slices = new ArrayList<>(slicesRead());
        assertThat(slices).hasSize(3);
        for (int i = 1; i < slices.size(); i++) {
            assertThat(slices.get(i).get(0)).isEqualTo(slices.get(i - 1).get(1) + 1);
        }
        assertThat(emulators.hubspot.journal().peakInFlight(EVENTS)).isGreaterThanOrEqualTo(2);
        tail();
        assertThat(writtenOnceAndDrained(6_000).watermark()).isAfter(clock.instant().minusSeconds(5));
    }

    @Test
    void aBurstBeyondTheEstimateIsCutAtTheChunkAndDrainedWithoutALossOrARepeat() throws Exception {
        start(Map.of("CLOSEDLOOP_POLL_CHUNK", "2000"));
        minuteOf(1_500);
        emulators.hubspot.journal().reset();

        // four times what the last window held: the two slices planned for about 1,500 events hold 6,000
        minuteOf(6_000);
        int slices = slicesRead().size();
        tail();

        writtenOnceAndDrained(7_500);
        // the burst took several chunks, none of them more than the chunk, and slices of its own size once it was known
        List<SyncRuns.SyncRun> runs = emulators.startedStore().runs().recent(SOURCE, 50).stream()
                .filter(r -> r.status() == SyncRuns.Status.SUCCEEDED && r.counts().read() > 0).toList();
        assertThat(runs.size()).isGreaterThanOrEqualTo(4);
        assertThat(runs).allSatisfy(r -> assertThat(r.counts().read()).isLessThanOrEqualTo(2_000));
        assertThat(slices).isGreaterThan(runs.size() - 1);
    }

    @Test
    void aSweepDeeperThanAChunkReadsItsWholeDepthAndIsNotStartedAgainAtTheNextPoll() throws Exception {
        start(Map.of("CLOSEDLOOP_POLL_CHUNK", "500"));
        long t0 = clock.millis();
        for (int m = 0; m < 9; m++) {
            minuteOf(50);
        }
        // indexed only now, long after the windows of their times were read: only the sweep can take them
        for (int i = 0; i < 600; i++) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("late" + i, t0 + 60_000 + 420_000L * i / 600, "OPEN",
                    emails.get(i % emails.size()), 7L, Map.of()));
        }
        // ten minutes after the first poll's sweep: this poll sweeps 30 minutes back, 1,100 events in chunks of 500
        minuteOf(50);
        TimeWindowCursor swept = cursor();
        assertThat(swept.draining()).isFalse();
        assertThat(swept.sweptAt().toEpochMilli()).isEqualTo(clock.millis());
        Map<Object, Long> written = written();
        for (int i = 0; i < 600; i++) {
            assertThat(written.get("email:late" + i + ":" + (t0 + 60_000 + 420_000L * i / 600))).as("late" + i).isEqualTo(1L);
        }

        emulators.hubspot.journal().reset();
        tail();
        long oldestAsked = slicesRead().stream().mapToLong(r -> r.get(0)).min().orElseThrow();
        assertThat(oldestAsked).isGreaterThan(clock.millis() - 60_000);
        writtenOnceAndDrained(600 + 500);
    }
}
