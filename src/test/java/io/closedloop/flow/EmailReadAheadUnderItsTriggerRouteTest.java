package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email source's own Quartz trigger on (every other route test polls by hand with the triggers off), with
 * {@code CLOSEDLOOP_POLL_INTERVAL=1s} and Salesforce answering each call in 2 s, while events keep arriving: each
 * poll outlasts its interval, so the next window is read while a Salesforce call of the poll is in flight, and the poll
 * the trigger fires next writes that read without one of its own. Nothing is lost or written twice.
 */
class EmailReadAheadUnderItsTriggerRouteTest {
    private static final String SOURCE = "hubspot-email-events";
    private static final String EMAIL = "trigger@ahead.example";

    @TempDir
    Path dir;

    /** A read of the email events as HubSpot saw it begin: when, and how many Salesforce calls were in flight then. */
    private record Read(Instant at, int salesforceInFlight) {
    }

    @Test
    void aPollPastItsIntervalHasTheNextWindowReadDuringItsWriteAndTheNextPollReadsNothingOfItsOwn() throws Exception {
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
        try (Emulators emulators = new Emulators(dir, clock)) {
            SalesforceOrg org = emulators.salesforce.org();
            org.insert("Lead", Map.of("LastName", "Trigger", "Email", EMAIL, "Company", "Trigger Co"));
            emulators.hubspot.portal().addEmailCampaign(7L, "Trigger", "Trigger");
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_INTERVAL", "1s");
            // no summary flush in the test's time: every Salesforce call below is a poll's (or its read ahead's)
            env.put("CLOSEDLOOP_SUMMARY_INTERVAL", "1h");
            var runtime = emulators.startDaemon(env, Map.of("closedloop.flow." + SOURCE, "true"));
            runtime.camelContext().getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();

            ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
            emulators.hubspot.faults().latency("hubspot.email.events", () -> {
                reads.add(new Read(Instant.now(), emulators.salesforce.journal().inFlight("salesforce.*")));
                return Duration.ZERO;
            });
            emulators.salesforce.faults().latency("salesforce.*", () -> Duration.ofSeconds(2));
            AtomicInteger added = new AtomicInteger();
            arrivals.scheduleAtFixedRate(() -> emulators.hubspot.portal().addEmailEvent(new EmailEvent("t" + added.incrementAndGet(),
                    clock.millis(), "CLICK", EMAIL, 7L, Map.of())), 0, 250, TimeUnit.MILLISECONDS);

            // six polls under load: each writes for 2 s or more, past its 1 s interval
            int before = finished(emulators).size();
            await().atMost(Duration.ofSeconds(60)).until(() -> finished(emulators).size() >= before + 6);
            arrivals.shutdown();
            assertThat(arrivals.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            List<Read> seen = List.copyOf(reads);
            List<SyncRuns.SyncRun> runs = finished(emulators);
            List<Read> ahead = seen.stream().filter(r -> r.salesforceInFlight() > 0).toList();
            assertThat(ahead).as("a read while a Salesforce call was in flight").isNotEmpty();
            for (Read a : ahead) {
                // a poll's own read comes before its Salesforce calls: this one is the next window's, inside a poll's run
                assertThat(runs).as("the poll whose write the read at %s overlapped", a.at())
                        .anySatisfy(r -> assertThat(a.at()).isAfter(r.startedAt()).isBefore(r.finishedAt()));
            }
            List<SyncRuns.SyncRun> after = pollsAfterAReadAhead(runs, seen);
            assertThat(after).as("a poll that came after a read ahead").isNotEmpty();
            for (SyncRuns.SyncRun next : after) {
                assertThat(next.status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
                assertThat(next.counts().hubspotCalls()).as("run %d: the read ahead's calls, counted where it was written", next.id())
                        .isPositive();
                assertThat(seen).as("run %d reads nothing of its own (any read in it overlaps its write, for the poll after)", next.id())
                        .noneMatch(r -> r.salesforceInFlight() == 0 && !r.at().isBefore(next.startedAt()) && r.at().isBefore(next.finishedAt()));
            }

            // every event that arrived is written once, read ahead or not (Salesforce fast again for the drain)
            emulators.salesforce.faults().clear();
            await().atMost(Duration.ofSeconds(60)).until(() -> org.query("SELECT Id FROM Marketing_Activity__c").size() >= added.get());
            List<String> ids = org.query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c").stream()
                    .map(r -> String.valueOf(r.get("Closedloop_Event_Id__c")).split(":")[1]).toList();
            assertThat(ids).hasSize(added.get()).doesNotHaveDuplicates();
        } finally {
            arrivals.shutdownNow();
        }
    }

    @Test
    void aPollThatOverranSeveralIntervalsIsFollowedByOnePollAtOnceNotOnePerMissedInterval() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            Map<String, String> env = emulators.env();
            env.put("CLOSEDLOOP_POLL_INTERVAL", "1s");
            var runtime = emulators.startDaemon(env, Map.of("closedloop.flow." + SOURCE, "true"));
            runtime.camelContext().getRegistry().lookupByNameAndType("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
            int before = finished(emulators).size();
            // the next read of the email events answers in 5 s: that poll misses four or five of its 1 s fire times
            emulators.hubspot.faults().script("hubspot.email.events", Fault.slow(Duration.ofSeconds(5)));

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<SyncRuns.SyncRun> runs = finished(emulators);
                int slow = slowRun(runs, before);
                return slow >= 0 && runs.size() >= slow + 3;
            });
            List<SyncRuns.SyncRun> runs = finished(emulators);
            SyncRuns.SyncRun slow = runs.get(slowRun(runs, before));
            List<SyncRuns.SyncRun> atOnce = runs.stream()
                    .filter(r -> !r.startedAt().isBefore(slow.finishedAt()) && r.startedAt().isBefore(slow.finishedAt().plusMillis(800)))
                    .toList();
            // Quartz counts the missed fire times as misfired and fires once now, then every interval from then on
            assertThat(atOnce).as("polls begun within 0.8 s of the slow poll's end").hasSize(1);
            SyncRuns.SyncRun first = atOnce.get(0);
            SyncRuns.SyncRun second = runs.get(runs.indexOf(first) + 1);
            assertThat(Duration.between(first.startedAt(), second.startedAt())).as("the next one an interval later")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
    }

    /** The index of the first run from {@code from} on that took 4 s or more, or -1. */
    private static int slowRun(List<SyncRuns.SyncRun> runs, int from) {
        for (int i = from; i < runs.size(); i++) {
            if (Duration.between(runs.get(i).startedAt(), runs.get(i).finishedAt()).compareTo(Duration.ofSeconds(4)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The runs of the source that have finished, oldest first. */
    private static List<SyncRuns.SyncRun> finished(Emulators emulators) {
        return emulators.startedStore().runs().recent(SOURCE, 1_000).stream().filter(r -> r.finishedAt() != null)
                .sorted(Comparator.comparing(SyncRuns.SyncRun::startedAt)).toList();
    }

    /** The runs that came right after a run during which a read was made while a Salesforce call was in flight. */
    private static List<SyncRuns.SyncRun> pollsAfterAReadAhead(List<SyncRuns.SyncRun> runs, List<Read> reads) {
        List<SyncRuns.SyncRun> next = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i++) {
            SyncRuns.SyncRun run = runs.get(i);
            if (reads.stream().anyMatch(r -> r.salesforceInFlight() > 0 && r.at().isAfter(run.startedAt()) && r.at().isBefore(run.finishedAt()))) {
                next.add(runs.get(i + 1));
            }
        }
        return next;
    }
}
