package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SalesforceConcurrencyTest {

    @Test
    void parallelUpsertsOfOverlappingExternalIdsNeverCreateDuplicates() throws Exception {
        try (SalesforceEmulator emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0)) {
            SalesforceTestClient client = new SalesforceTestClient(emulator).login();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int batch = 0; batch < 16; batch++) {
                List<Map<String, Object>> records = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    // every id appears in two batches, so half the upserts race an insert of the same key
                    int key = (batch / 2) * 100 + i;
                    records.add(Map.of("attributes", Map.of("type", "Marketing_Activity__c"), "Closedloop_Event_Id__c",
                            "evt-" + key, "Activity_Type__c", "Page Visit", "Source__c", "HubSpot CRM",
                            "Occurred_At__c", "2024-06-03T09:14:11Z"));
                }
                futures.add(pool.submit(() -> json(client.send("PATCH",
                        V + "/composite/sobjects/Marketing_Activity__c/Closedloop_Event_Id__c", Map.of("records", records)))));
            }
            int created = 0;
            for (Future<JsonNode> f : futures) {
                for (JsonNode r : f.get()) {
                    assertThat(r.get("success").asBoolean()).isTrue();
                    created += r.get("created").asBoolean() ? 1 : 0;
                }
            }
            pool.shutdown();
            assertThat(created).isEqualTo(800);
            assertThat(emulator.org().all("Marketing_Activity__c")).hasSize(800);
            assertThat(emulator.journal().count("salesforce.collections.upsert")).isEqualTo(16);
        }
    }
}
