package io.closedloop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.closedloop.flow.engagement.SalesforceActivitySink;
import io.closedloop.salesforce.MarketingSummary;
import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.sandbox.world.SalesTeamSimulator;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.state.EventLedger;
import io.closedloop.state.StateStore;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The sandbox on H2 with every source polling concurrently: no ERROR, and Salesforce's summaries match the ledger. */
class SandboxSummaryConsistencyRouteTest {
    @TempDir
    Path dir;

    @Test
    void concurrentSourcesOnH2LogNoErrorAndLeaveEverySummaryAsTheLedgerImplies() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        // no conversions: a converted Lead refuses summary writes by design, which is parked, not a mismatch
        SalesTeamSimulator.Config team = new SalesTeamSimulator.Config(0.35, 0.30, 0.0, Duration.ofSeconds(2), Duration.ofSeconds(5), 0.5);
        Sandbox.Options options = new Sandbox.Options(WorldConfig.defaults().withCompanies(8), 50, TestSettings.freePort(), 0, 0,
                dir.resolve("sandbox"), Duration.ofMillis(500), team, false);
        try (Sandbox sandbox = new Sandbox(options).start()) {
            StateStore store = sandbox.runtime().store();
            await().atMost(Duration.ofSeconds(60)).until(() -> store.ledger().count("hubspot-email-events") >= 150);
            sandbox.stopWorld();
            AtomicLong lastCount = new AtomicLong(-1);
            // settled: the ledger stopped growing across polls and every queued summary was written
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                long count = totalLedger(store);
                return lastCount.getAndSet(count) == count && store.summaryQueue().size() == 0;
            });
            // quiesce: the unmatched retry (every minute in the sandbox) replays parked events on its own schedule, and
            // one that writes between the ledger read and the Salesforce read below shows more activities in
            // Salesforce than in the ledger read before it
            CamelContext camel = sandbox.runtime().camelContext();
            for (org.apache.camel.Route r : List.copyOf(camel.getRoutes())) {
                // the scheduled triggers: each stop waits for its poll in flight
                if (r.getEndpoint().getEndpointUri().startsWith("quartz:")) {
                    camel.getRouteController().stopRoute(r.getRouteId());
                }
            }
            camel.getRegistry().lookupByNameAndType("salesforceActivitySink", SalesforceActivitySink.class).flushSummaries();
            assertThat(store.summaryQueue().size()).isZero();
            assertSummariesMatchTheLedger(sandbox, store);
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(ILoggingEvent::getFormattedMessage).toList()).isEmpty();
    }

    private static long totalLedger(StateStore store) {
        return List.of("hubspot-email-events", "hubspot-form-submissions", "hubspot-contact-changes", "hubspot-list-memberships")
                .stream().mapToLong(f -> store.ledger().count(f)).sum();
    }

    private static void assertSummariesMatchTheLedger(Sandbox sandbox, StateStore store) {
        Instant now = Instant.now();
        List<EventLedger.Activity> all = store.ledger().activitiesOfAccounts(ids(sandbox, "Account"), Instant.EPOCH);
        List<String> people = new java.util.ArrayList<>(ids(sandbox, "Lead"));
        people.addAll(ids(sandbox, "Contact"));
        Map<String, List<EventLedger.Activity>> bySubject = store.ledger().activitiesOfSubjects(people, Instant.EPOCH).stream()
                .collect(Collectors.groupingBy(EventLedger.Activity::subjectId));
        assertThat(bySubject).hasSizeGreaterThan(5);
        bySubject.forEach((id, acts) -> {
            String sobject = id.startsWith("00Q") ? "Lead" : "Contact";
            Map<String, Object> sf = sandbox.salesforce().org().get(sobject, id);
            List<EventLedger.Activity> week = acts.stream().filter(a -> !a.occurredAt().isBefore(now.minus(Duration.ofDays(7)))).toList();
            // on a mismatch, the message names the events on each side, so the difference explains itself
            List<String> inSf = sandbox.salesforce().org().all(SalesforceNames.MARKETING_ACTIVITY).stream()
                    .filter(r -> id.equals(r.get(SalesforceNames.ACTIVITY_LEAD)) || id.equals(r.get(SalesforceNames.ACTIVITY_CONTACT)))
                    .map(r -> r.get(SalesforceNames.EVENT_ID) + "@" + r.get(SalesforceNames.OCCURRED_AT)).sorted().toList();
            List<String> inLedger = acts.stream().map(a -> a.eventId() + "@" + a.occurredAt() + " (" + a.flow() + ")").sorted().toList();
            assertThat(((Number) sf.get(SalesforceNames.MARKETING_ACTIVITY_7D)).intValue())
                    .as("%s: Salesforce activities %s, ledger %s", id, inSf, inLedger).isEqualTo(week.size());
            assertThat(sf.get(SalesforceNames.LAST_MARKETING_ACTIVITY_AT)).as(id)
                    .isEqualTo(acts.stream().map(EventLedger.Activity::occurredAt).max(Instant::compareTo).orElseThrow());
            assertThat(sf.get(SalesforceNames.MARKETING_SUMMARY)).as(id).isEqualTo(MarketingSummary.forPerson(sorted(week), 7));
        });
        all.stream().collect(Collectors.groupingBy(EventLedger.Activity::accountId)).forEach((id, acts) -> {
            Map<String, Object> sf = sandbox.salesforce().org().get("Account", id);
            assertThat(((Number) sf.get(SalesforceNames.MARKETING_ACTIVITY_30D)).intValue()).as(id).isEqualTo(acts.size());
            assertThat(((Number) sf.get(SalesforceNames.MARKETING_ENGAGED_PEOPLE)).intValue()).as(id)
                    .isEqualTo((int) acts.stream().map(EventLedger.Activity::subjectId).distinct().count());
            assertThat(sf.get(SalesforceNames.MARKETING_SUMMARY)).as(id).isEqualTo(MarketingSummary.forAccount(sorted(acts), 30));
        });
    }

    private static List<String> ids(Sandbox sandbox, String sobject) {
        return sandbox.salesforce().org().all(sobject).stream().map(r -> (String) r.get("Id")).toList();
    }

    /** The order the summary writer reads the ledger in: newest first. */
    private static List<EventLedger.Activity> sorted(List<EventLedger.Activity> acts) {
        return acts.stream().sorted(java.util.Comparator.comparing(EventLedger.Activity::occurredAt).reversed()
                .thenComparing(EventLedger.Activity::eventId)).toList();
    }
}
