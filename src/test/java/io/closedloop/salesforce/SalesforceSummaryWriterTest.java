package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.state.EventLedger;
import io.closedloop.state.StateStore;
import io.closedloop.state.SummaryQueue;
import io.closedloop.testsupport.SalesforceTestCamel;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary queue's flushes: one at a time, and a poll that finds one running does not wait for it. */
class SalesforceSummaryWriterTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private SalesforceTestCamel salesforce;
    private StateStore store;
    private SalesforceSummaryWriter writer;

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceTestCamel.start(dir);
        ClosedloopSettings settings = TestSettings.settings(dir, TestSettings.env(dir));
        store = StateStore.open("jdbc:h2:mem:summaries" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", clock);
        writer = new SalesforceSummaryWriter(salesforce.client(), store, settings.fieldMapping(), clock, settings.salesforceApiVersion());
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        salesforce.close();
    }

    private String lead(String name) {
        return salesforce.emulator().org().insert("Lead", Map.of("LastName", name, "Company", name + " Co", "Email", name + "@example.com"));
    }

    @Test
    void aPollThatFindsAFlushRunningLeavesItsSummariesQueuedForThatFlushOrTheNext() throws Exception {
        String first = lead("first");
        String second = lead("second");
        CountDownLatch inSalesforce = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the running flush's first Salesforce call hangs until released
        salesforce.emulator().faults().latency("salesforce.*", () -> {
            inSalesforce.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Duration.ZERO;
        });
        store.summaryQueue().add(List.of(new SummaryQueue.Pending(first, "Lead")));
        Thread running = new Thread(writer::flush, "running-flush");
        running.start();
        assertThat(inSalesforce.await(30, TimeUnit.SECONDS)).as("the first flush reached Salesforce").isTrue();

        store.summaryQueue().add(List.of(new SummaryQueue.Pending(second, "Lead")));
        int written = writer.flushUnlessBusy();

        assertThat(written).isZero();
        assertThat(running.isAlive()).as("returned while the other flush still runs").isTrue();
        assertThat(store.summaryQueue().contains(second)).as("still queued, not dropped").isTrue();

        release.countDown();
        running.join(30_000);
        salesforce.emulator().faults().clear();
        writer.flush();
        assertThat(store.summaryQueue().size()).as("both written by the running flush or the next").isZero();
    }

    @Test
    void withNoFlushRunningAPollWritesItsOwnSummaries() {
        String lead = lead("alone");
        store.summaryQueue().add(List.of(new SummaryQueue.Pending(lead, "Lead")));

        writer.flushUnlessBusy();

        assertThat(store.summaryQueue().contains(lead)).isFalse();
    }

    @Test
    void theLastActivityIsTheNewestOfAllTimeWhetherInsideTheSummaryWindowOrBeforeIt() {
        String active = lead("active");
        String quiet = lead("quiet");
        String busyAccount = salesforce.emulator().org().insert("Account", Map.of("Name", "Busy Co"));
        String quietAccount = salesforce.emulator().org().insert("Account", Map.of("Name", "Quiet Co"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        store.ledger().recordActivities("Marketing_Activity__c", List.of(
                activity("e1", active, busyAccount, now.minus(Duration.ofDays(20))),
                activity("e2", active, busyAccount, now.minus(Duration.ofHours(1))),
                activity("e3", active, busyAccount, now.minus(Duration.ofDays(3))),
                // outside the person's 7 days and the Account's 30
                activity("e4", quiet, quietAccount, now.minus(Duration.ofDays(40))),
                activity("e5", quiet, quietAccount, now.minus(Duration.ofDays(45)))));
        store.summaryQueue().add(List.of(new SummaryQueue.Pending(active, "Lead"), new SummaryQueue.Pending(quiet, "Lead"),
                new SummaryQueue.Pending(busyAccount, "Account"), new SummaryQueue.Pending(quietAccount, "Account")));

        writer.flush();

        assertThat(lastActivityAt("Lead", active)).as("inside the window").isEqualTo(now.minus(Duration.ofHours(1)));
        assertThat(lastActivityAt("Lead", quiet)).as("before the window").isEqualTo(now.minus(Duration.ofDays(40)));
        assertThat(lastActivityAt("Account", busyAccount)).isEqualTo(now.minus(Duration.ofHours(1)));
        assertThat(lastActivityAt("Account", quietAccount)).isEqualTo(now.minus(Duration.ofDays(40)));
        assertThat(salesforce.emulator().org().get("Lead", quiet).get("Marketing_Activity_7d__c")).isEqualTo(new java.math.BigDecimal(0));
    }

    private static EventLedger.Activity activity(String id, String subject, String account, Instant at) {
        return new EventLedger.Activity(id, "hubspot-email-events", "a" + id, subject, account, "Email Open", "Launch", at);
    }

    private Instant lastActivityAt(String object, String id) {
        return (Instant) salesforce.emulator().org().get(object, id).get("Last_Marketing_Activity_At__c");
    }
}
