package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.ErrorKind;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SalesforceCompositePlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<SalesforceWrite> upserts(int n) {
        return IntStream.range(0, n).mapToObj(i -> new SalesforceWrite("e" + i, "Marketing_Activity__c", "Closedloop_Event_Id__c",
                Map.of("Closedloop_Event_Id__c", "e" + i, "Activity_Type__c", "Email Open"))).toList();
    }

    @Test
    void eachFieldValueBecomesTheSameJsonAsValueToTreeMakesOfIt() throws Exception {
        java.util.Map<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("k", null);
        List<Object> values = java.util.Arrays.asList("Email Open", "Grüße ✓ \"quoted\"", "", true, false, 7, -3L, 1234567890123L,
                2.5, 0.1, null, new java.math.BigDecimal("12.50"), 1.5f, (short) 4, List.of("a", 1), Map.of("x", 2), withNull);
        for (Object v : values) {
            JsonNode expected = JSON.valueToTree(v);
            JsonNode actual = SalesforceCompositePlanner.node(v);
            assertThat(JSON.writeValueAsString(actual)).as("%s", v).isEqualTo(JSON.writeValueAsString(expected == null
                    ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : expected));
            if (expected != null) {
                assertThat(actual).as("%s", v).isEqualTo(expected);
            }
        }
    }

    @Test
    void thousandRecordsFitOneCompositeCallOfFiveCollections() throws Exception {
        List<SalesforceCompositePlanner.CompositeCall> calls = SalesforceCompositePlanner.plan("62.0", upserts(1000));
        assertThat(calls).hasSize(1);
        JsonNode body = JSON.readTree(calls.get(0).body());
        assertThat(body.get("allOrNone").asBoolean()).isFalse();
        assertThat(body.get("collateSubrequests").asBoolean()).isFalse();
        JsonNode subs = body.get("compositeRequest");
        assertThat(subs).hasSize(5);
        // §3.3 upsert by external id
        assertThat(subs.get(0).get("method").asText()).isEqualTo("PATCH");
        assertThat(subs.get(0).get("url").asText()).isEqualTo("/services/data/v62.0/composite/sobjects/Marketing_Activity__c/Closedloop_Event_Id__c");
        assertThat(subs.get(0).get("body").get("records")).hasSize(200);
        assertThat(subs.get(0).get("body").get("records").get(0).get("attributes").get("type").asText()).isEqualTo("Marketing_Activity__c");
        assertThat(SalesforceCompositePlanner.plan("62.0", upserts(1001))).hasSize(2);
        assertThat(SalesforceCompositePlanner.plan("62.0", List.of())).isEmpty();
    }

    @Test
    void updatesOfMixedTypesShareCollectionsAndUpsertsGroupByTypeAndKey() throws Exception {
        List<SalesforceWrite> writes = new java.util.ArrayList<>(upserts(3));
        writes.add(new SalesforceWrite("lead", "Lead", null, Map.of("Id", "00Q000000000001AAA", "MQL_At__c", "2026-11-25T10:00:00.000Z")));
        writes.add(new SalesforceWrite("contact", "Contact", null, Map.of("Id", "003000000000001AAA", "Marketing_Activity_7d__c", 3)));
        var calls = SalesforceCompositePlanner.plan("62.0", writes);
        assertThat(calls).hasSize(1);
        JsonNode subs = JSON.readTree(calls.get(0).body()).get("compositeRequest");
        assertThat(subs).hasSize(2);
        // §3.2 update: PATCH /composite/sobjects with mixed types
        assertThat(subs.get(1).get("url").asText()).isEqualTo("/services/data/v62.0/composite/sobjects");
        assertThat(subs.get(1).get("body").get("records")).hasSize(2);
    }

    @Test
    void readsEveryPerRecordResultIncludingFailuresAndHaltedSubrequests() throws Exception {
        List<SalesforceWrite> writes = upserts(3);
        writes = new java.util.ArrayList<>(writes);
        writes.add(new SalesforceWrite("lead", "Lead", null, Map.of("Id", "00Q000000000001AAA")));
        var call = SalesforceCompositePlanner.plan("62.0", writes).get(0);
        // shapes from salesforce-api.md §3.3 (UpsertResult) and §4 (failed subrequest)
        JsonNode response = JSON.readTree("""
                {"compositeResponse":[
                  {"body":[{"id":"a00000000000001AAA","success":true,"errors":[],"created":true},
                           {"success":false,"errors":[{"statusCode":"STRING_TOO_LONG","message":"Asset: data value too large","fields":["Asset_Name__c"]}]},
                           {"id":"a00000000000003AAA","success":true,"errors":[],"created":false}],
                   "httpHeaders":{},"httpStatusCode":200,"referenceId":"c0"},
                  {"body":[{"errorCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record"}],
                   "httpHeaders":{},"httpStatusCode":400,"referenceId":"c1"}]}""");
        List<SalesforceWriteResult> results = SalesforceCompositePlanner.results(call, response);
        assertThat(results).hasSize(4);
        assertThat(results.get(0).id()).isEqualTo("a00000000000001AAA");
        assertThat(results.get(0).created()).isTrue();
        assertThat(results.get(1).success()).isFalse();
        assertThat(results.get(1).failure().kind()).isEqualTo(ErrorKind.SKIPPABLE);
        assertThat(results.get(1).failure().code()).isEqualTo("STRING_TOO_LONG");
        assertThat(results.get(1).failure().message()).contains("Asset_Name__c");
        assertThat(results.get(2).created()).isFalse();
        assertThat(results.get(3).write().key()).isEqualTo("lead");
        assertThat(results.get(3).failure().kind()).isEqualTo(ErrorKind.RETRIABLE);
    }

    @Test
    void aMissingSubresponseFailsItsRecordsAsRetriableRatherThanDroppingThem() throws Exception {
        var call = SalesforceCompositePlanner.plan("62.0", upserts(2)).get(0);
        var results = SalesforceCompositePlanner.results(call, JSON.readTree("{\"compositeResponse\":[]}"));
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.failure().kind()).isEqualTo(ErrorKind.RETRIABLE));
    }
}
