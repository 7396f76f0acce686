package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.flow.engagement.SummaryFlusher;
import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.MutableClock;
import io.closedloop.state.StateStore;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLOSEDLOOP_SUMMARY_INTERVAL through the real routes: polls within the interval write their activities at once and leave
 * the summary fields queued; the first poll after it writes each queued record's summary once, with everything since.
 */
class SummaryIntervalRouteTest {
    private static final String SOURCE = "hubspot-email-events";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private Emulators emulators;
    private String leadId;
    private int seq;

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
    }

    private StateStore start(String interval) throws Exception {
        return start(interval, clock);
    }

    private StateStore start(String interval, java.time.Clock daemonClock) throws Exception {
        emulators = new Emulators(dir, daemonClock);
        SalesforceOrg org = emulators.salesforce.org();
        leadId = org.insert("Lead", Map.of("LastName", "Interval", "Email", "interval@summary.example", "Company", "Interval Co"));
        emulators.hubspot.portal().addEmailCampaign(7L, "Interval", "Interval");
        Map<String, String> env = emulators.env();
        if (interval != null) {
            env.put("CLOSEDLOOP_SUMMARY_INTERVAL", interval);
        } else {
            env.remove("CLOSEDLOOP_SUMMARY_INTERVAL");
        }
        emulators.startDaemon(env, Map.of());
        // the first poll (nothing to read yet) starts the first flush: the interval counts from here
        emulators.poll(SOURCE);
        return emulators.startedStore();
    }

    /** One click a few seconds old, then {@code seconds} pass and the source polls. */
    private void clickThenPollAfter(int seconds) {
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("i" + seq++, clock.millis() - 5_000, "CLICK",
                "interval@summary.example", 7L, Map.of()));
        clock.advance(Duration.ofSeconds(seconds));
        emulators.poll(SOURCE);
    }

    private Map<String, Object> lead() {
        return emulators.salesforce.org().get("Lead", leadId);
    }

    private int activities() {
        return emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c").size();
    }

    @Test
    void pollsWithinTheIntervalLeaveTheSummaryQueuedAndTheFirstPollAfterItWritesItOnceWithEverything() throws Exception {
        StateStore store = start("30s");

        clickThenPollAfter(10);
        clickThenPollAfter(10);
        // 20 s since the last flush: both activities are in Salesforce, the summary fields not yet
        assertThat(activities()).isEqualTo(2);
        assertThat(lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).isNull();
        assertThat(store.summaryQueue().contains(leadId)).isTrue();
        Object untouched = lead().get("SystemModstamp");

        clickThenPollAfter(5);
        assertThat(activities()).isEqualTo(3);
        assertThat(lead().get("SystemModstamp")).as("no summary write within the interval").isEqualTo(untouched);

        // 30 s after the last flush: one write with all four
        clickThenPollAfter(5);
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(4);
        assertThat(store.summaryQueue().size()).isZero();
        Object written = lead().get("SystemModstamp");

        // and the interval starts again from that flush
        clickThenPollAfter(10);
        assertThat(activities()).isEqualTo(5);
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(4);
        assertThat(lead().get("SystemModstamp")).isEqualTo(written);
    }

    @Test
    void whatAHeldBackPollLeftQueuedIsWrittenAtTheIntervalsEndWithoutAnotherPoll() throws Exception {
        // the real clock: the timer a held-back kick sets runs in real time
        java.time.Clock real = java.time.Clock.systemUTC();
        StateStore store = start("5s", real);
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("held", real.millis() - 5_000, "CLICK", "interval@summary.example", 7L,
                Map.of()));
        emulators.poll(SOURCE);
        assertThat(activities()).isEqualTo(1);
        assertThat(lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).as("held back: the first flush was just now").isNull();

        // no poll follows (a source stopped, HubSpot down): the interval's end writes it all the same
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> lead().get(SalesforceNames.MARKETING_ACTIVITY_7D) instanceof Number n && n.intValue() == 1);
        // the flush takes the record off the queue after its write: wait for the flush to end, not only for its write
        emulators.awaitSummaries();
        assertThat(store.summaryQueue().size()).isZero();
    }

    @Test
    void aClockSetBackBehindTheLastFlushDoesNotHoldTheSummariesUntilItCatchesUp() throws Exception {
        start("30s");
        clickThenPollAfter(10);
        assertThat(lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).as("held back").isNull();
        SummaryFlusher flusher = emulators.runtime().camelContext().getRegistry()
                .lookupByNameAndType(SummaryFlusher.BEAN, SummaryFlusher.class);

        // the host's clock is set back an hour (a time sync): the next kick flushes, not an hour from now
        clock.advance(Duration.ofHours(-1));
        flusher.kick();
        emulators.awaitSummaries();
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(1);
    }

    @Test
    void zeroWritesTheSummaryAfterEveryPoll() throws Exception {
        start("0s");

        clickThenPollAfter(1);
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(1);
        clickThenPollAfter(1);
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(2);
    }

    @Test
    void theDefaultIsThirtySeconds() throws Exception {
        start(null);

        clickThenPollAfter(29);
        assertThat(lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).isNull();
        clickThenPollAfter(1);
        assertThat(((Number) lead().get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue()).isEqualTo(2);
    }
}
