package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.testsupport.SalesforceTestCamel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activities above the Bulk threshold go through Bulk API 2.0 jobs (salesforce-api.md §5), against the emulator. */
class SalesforceBulkWriterTest {
    private static final String ACTIVITY = SalesforceNames.MARKETING_ACTIVITY;

    @TempDir
    Path dir;

    private SalesforceTestCamel salesforce;
    private SalesforceEmulator emulator;
    private SalesforceClient client;
    private SalesforceBulkWriter bulk;

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceTestCamel.start(dir);
        emulator = salesforce.emulator();
        client = salesforce.client();
        bulk = new SalesforceBulkWriter(client, Clock.systemUTC(), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(2));
    }

    @AfterEach
    void stop() {
        salesforce.close();
    }

    @Test
    void aWindowOf25000ActivitiesTakesThreeBulkJobsNotComposites_AndRowsTheOrgFailsAreRefusedWithTheirCodes() {
        List<SalesforceWrite> writes = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            writes.add(activity("ev-" + i, i % 2_500 == 7 ? "Not A Type" : "Email Open", "Quote \"" + i + "\", with comma"));
        }
        Collected collected = new Collected();
        SalesforceActivityWriter.Tally tally = writer(2_000).write(writes, collected);

        assertThat(emulator.journal().count("salesforce.bulk.create")).as("10,000 rows a job").isEqualTo(3);
        assertThat(emulator.journal().count("salesforce.bulk.upload")).isEqualTo(3);
        assertThat(emulator.journal().count("salesforce.composite")).isZero();
        assertThat(bulk.jobs()).isEqualTo(3);
        assertThat(tally).isEqualTo(new SalesforceActivityWriter.Tally(24_990, 10));
        assertThat(collected.refused).hasSize(10).allSatisfy(r -> {
            assertThat(r.failure().code()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            assertThat(r.failure().message()).contains("Not A Type");
            assertThat(r.write().key()).endsWith("7");
        });
        assertThat(emulator.org().all(ACTIVITY)).hasSize(24_990);
        // results come back in another order than uploaded: each id is the record of that external id
        Map<String, String> idByEvent = new LinkedHashMap<>();
        emulator.org().all(ACTIVITY).forEach(r -> idByEvent.put((String) r.get(SalesforceNames.EVENT_ID), (String) r.get("Id")));
        assertThat(collected.written).hasSize(24_990).allSatisfy(r -> {
            assertThat(r.id()).isEqualTo(idByEvent.get(r.write().key()));
            assertThat(r.created()).isTrue();
        });
        assertThat(emulator.org().all(ACTIVITY)).filteredOn(r -> "ev-42".equals(r.get(SalesforceNames.EVENT_ID)))
                .singleElement().satisfies(r -> assertThat(r.get(SalesforceNames.ASSET_NAME)).isEqualTo("Quote \"42\", with comma"));
    }

    @Test
    void atOrBelowTheThresholdCompositeWritesAndNoBulkJobIsOpened() {
        List<SalesforceWrite> writes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            writes.add(activity("ev-" + i, "Email Open", null));
        }
        assertThat(writer(400).write(writes, new Collected()).written()).isEqualTo(400);
        assertThat(emulator.journal().count("salesforce.bulk.create")).isZero();
        assertThat(emulator.journal().count("salesforce.composite")).isEqualTo(1);
    }

    @Test
    void aSecondRunUpsertsTheSameRecordsAndRowLocksAreRetriedOnlyForTheFailedRows() {
        List<SalesforceWrite> writes = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            writes.add(activity("ev-" + i, "Email Open", null));
        }
        writer(2_000).write(writes, new Collected());
        emulator.org().lockRecordsOnce(emulator.org().all(ACTIVITY).stream().limit(50).map(r -> (String) r.get("Id"))
                .toArray(String[]::new));
        Collected again = new Collected();
        SalesforceActivityWriter.Tally tally = writer(2_000).write(writes, again);

        assertThat(tally.written()).isEqualTo(3_000);
        assertThat(again.written).allSatisfy(r -> assertThat(r.created()).isFalse());
        assertThat(emulator.org().all(ACTIVITY)).hasSize(3_000);
        // the 50 locked rows alone are retried, below the threshold, so through one Composite call
        assertThat(emulator.journal().count("salesforce.bulk.create")).isEqualTo(2);
        assertThat(emulator.journal().count("salesforce.composite")).isEqualTo(1);
    }

    @Test
    void aSpentBulkAllocationPausesBulkJobsAndTheRowsGoThroughCompositeInstead() {
        emulator.bulkAllocation().limits(1_000, 15_000);
        List<SalesforceWrite> writes = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            writes.add(activity("ev-" + i, "Email Open", null));
        }
        SalesforceActivityWriter.Tally tally = writer(2_000).write(writes, new Collected());

        assertThat(tally.written()).isEqualTo(2_500);
        assertThat(bulk.available()).isFalse();
        assertThat(emulator.journal().count("salesforce.bulk.create")).isEqualTo(1);
        assertThat(emulator.org().all(ACTIVITY)).hasSize(2_500);
        writer(2_000).write(List.of(writes.get(0), writes.get(1), writes.get(2)), new Collected());
        assertThat(emulator.journal().count("salesforce.bulk.create")).as("no job while paused").isEqualTo(1);
    }

    @Test
    void anSfErrorIsClassifiedLikeTheCollectionsErrorOfTheSameCode() {
        assertThat(SalesforceBulkWriter.failure("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record --"))
                .isEqualTo(SalesforceErrorClassifier.classifyCode("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record"));
        assertThat(SalesforceBulkWriter.failure("REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --").code())
                .isEqualTo("REQUIRED_FIELD_MISSING");
    }

    private SalesforceActivityWriter writer(int threshold) {
        return new SalesforceActivityWriter(client, "62.0", Duration.ofMillis(1), bulk, threshold);
    }

    private static SalesforceWrite activity(String eventId, String type, String asset) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(SalesforceNames.EVENT_ID, eventId);
        f.put(SalesforceNames.ACTIVITY_TYPE, type);
        f.put(SalesforceNames.ACTIVITY_SOURCE, "HubSpot Email");
        f.put(SalesforceNames.OCCURRED_AT, "2026-11-01T10:00:00.000Z");
        if (asset != null) {
            f.put(SalesforceNames.ASSET_NAME, asset);
        }
        return new SalesforceWrite(eventId, ACTIVITY, SalesforceNames.EVENT_ID, f);
    }

    private static final class Collected implements SalesforceActivityWriter.Results {
        final List<SalesforceWriteResult> refused = new ArrayList<>();
        final List<SalesforceWriteResult> written = new ArrayList<>();

        @Override
        public void refused(SalesforceWriteResult result) {
            refused.add(result);
        }

        @Override
        public void written(List<SalesforceWriteResult> results) {
            written.addAll(results);
        }
    }
}
