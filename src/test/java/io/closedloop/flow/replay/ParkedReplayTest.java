package io.closedloop.flow.replay;

import io.closedloop.core.FatalSyncException;

import io.closedloop.core.RetriableSyncException;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FlowId;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParkedReplayTest {
    @TempDir
    Path dir;

    private StateStore store;
    private ParkedRecords parked;

    @BeforeEach
    void open() {
        store = StateStore.open("jdbc:h2:file:" + dir.resolve("state"), "sa", "", new MutableClock(Instant.parse("2024-05-01T00:00:00Z")));
        parked = store.parked();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ParkedRecords.ParkedRecord park(String flow, String key, String code) {
        return parked.park(flow, key, "{}", "why " + key, ErrorKind.SKIPPABLE, code);
    }

    @Test
    void eachFlowsHandlerReplaysItsRecordsOlderRouteKeysFindTheirFlowAndRecordsOfOtherFlowsAreSkipped() {
        List<String> calls = new ArrayList<>();
        ParkedReplay replay = new ParkedReplay(parked)
                .register((flow, records) -> { calls.add("engagement " + flow); return Set.of(); },
                        FlowId.HUBSPOT_EMAIL_EVENTS, FlowId.HUBSPOT_FORM_SUBMISSIONS)
                .register((flow, records) -> { calls.add("feedback " + flow); return Set.of(); }, FlowId.SALESFORCE_DISPOSITIONS);
        var email = park("hubspot-email-events", "e1", "UNMATCHED");
        var feedback = park("salesforce-dispositions", "f1", "UNMATCHED");
        // a whole-batch failure parked under the source route's id by an earlier version
        var batch = park("hubspot-form-submissions-source", "b1", "MALFORMED_RESPONSE");
        var other = park("sla-watch", "s1", "X");
        var unknown = park("hubspot-feedback-sink", "u1", "X");

        ParkedReplay.Result result = replay.replay(List.of(email, feedback, batch, other, unknown));

        assertThat(calls).containsExactly("engagement hubspot-email-events", "feedback salesforce-dispositions",
                "engagement hubspot-form-submissions-source");
        assertThat(result.skipped()).extracting(ParkedRecords.ParkedRecord::id).containsExactly(other.id(), unknown.id());
        assertThat(parked.byId(other.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void writtenRecordsAreResolvedTheRestCountOneMoreAttemptAndResolvedOnesAreNotSentAgain() {
        List<String> sent = new ArrayList<>();
        ParkedReplay replay = new ParkedReplay(parked).register((flow, records) -> {
            records.forEach(r -> sent.add(r.recordKey()));
            return Set.of("ok");
        }, FlowId.HUBSPOT_EMAIL_EVENTS);
        var ok = park("hubspot-email-events", "ok", "STRING_TOO_LONG");
        var bad = park("hubspot-email-events", "bad", "STRING_TOO_LONG");

        var first = replay.replay(List.of(ok, bad));
        assertThat(first.flows()).containsExactly(new ParkedReplay.FlowResult("hubspot-email-events", 2, 1, 1, null));
        assertThat(parked.byId(ok.id()).orElseThrow().status()).isEqualTo(ParkedRecords.Status.RESOLVED);
        assertThat(parked.byId(bad.id()).orElseThrow()).satisfies(r -> {
            assertThat(r.status()).isEqualTo(ParkedRecords.Status.PARKED);
            assertThat(r.attempts()).isEqualTo(2);
        });

        sent.clear();
        var second = replay.replay(ParkedReplay.select(parked, List.of(ok.id(), bad.id()), ParkedRecords.Filter.all(), 100));
        assertThat(sent).containsExactly("bad");
        assertThat(second.skipped()).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("ok");
    }

    @Test
    void aFlowWhoseTargetCannotBeReachedKeepsItsRecordsWithTheReasonAndReportsNothingReached() {
        ParkedReplay replay = new ParkedReplay(parked).register((flow, records) -> {
            throw new RetriableSyncException("IO", "Salesforce call failed: ConnectException", null);
        }, FlowId.HUBSPOT_EMAIL_EVENTS);
        var r = park("hubspot-email-events", "e1", "UNMATCHED");

        var result = replay.replay(List.of(r));

        assertThat(result.nothingReached()).isTrue();
        assertThat(parked.byId(r.id()).orElseThrow()).satisfies(now -> {
            assertThat(now.reason()).isEqualTo("replay failed: Salesforce call failed: ConnectException");
            assertThat(now.errorCode()).isEqualTo("UNMATCHED");
            assertThat(now.attempts()).isEqualTo(2);
        });
    }

    @Test
    void aFatalErrorStopsTheReplayAndLeavesTheRecordsAsTheyWere() {
        ParkedReplay replay = new ParkedReplay(parked).register((flow, records) -> {
            throw new FatalSyncException("SCHEMA_MISMATCH", "Salesforce schema: Lead.MQL_At__c does not exist", null);
        }, FlowId.HUBSPOT_EMAIL_EVENTS);
        var r = park("hubspot-email-events", "e1", "UNMATCHED");

        var result = replay.replay(List.of(r));

        assertThat(result.fatal()).contains("MQL_At__c");
        assertThat(parked.byId(r.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void selectionByFilterTakesParkedRecordsOnly() {
        var open = park("hubspot-email-events", "e1", "UNMATCHED");
        var done = park("hubspot-email-events", "e2", "UNMATCHED");
        parked.markResolved(done.id());

        assertThat(ParkedReplay.select(parked, null, new ParkedRecords.Filter(null, "UNMATCHED", null, null, null, null), 100))
                .extracting(ParkedRecords.ParkedRecord::id).containsExactly(open.id());
    }
}
