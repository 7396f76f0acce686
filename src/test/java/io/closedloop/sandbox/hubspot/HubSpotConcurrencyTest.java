package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotConcurrencyTest {
    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private HubSpotEmulator emulator;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSearchPerSecond(10_000).withBurstPer10s(10_000)).start(0);
        for (int i = 0; i < 2_000; i++) {
            ids.add(emulator.portal().createContact(Map.of("email", "bench" + i + "@example.com", "hs_lead_status", "NEW")));
        }
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void parallelBatchUpdatesAndSearchesStayConsistent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                HubSpotTestClient client = new HubSpotTestClient(emulator.baseUrl());
                int ok = 0;
                for (int b = 0; b < 5; b++) {
                    List<Map<String, Object>> inputs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        inputs.add(Map.of("id", ids.get(thread * 250 + b * 50 + i), "properties", Map.of("hs_lead_status", "OPEN")));
                    }
                    ok += client.post("/crm/v3/objects/contacts/batch/update", write(Map.of("inputs", inputs))).statusCode() == 200 ? 1 : 0;
                    ok += client.post(SEARCH, "{\"limit\":200}").statusCode() == 200 ? 1 : 0;
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
            ok += f.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(80);
        assertThat(emulator.portal().contacts()).hasSize(2_000).allSatisfy(c -> assertThat(c).containsEntry("hs_lead_status", "OPEN"));
        assertThat(emulator.journal().total()).isEqualTo(80);
    }

    @Test
    void watermarkRestartReadsEveryContactPastTheResultCap() throws Exception {
        // the Singer-style strategy of STYLE.md: GTE on the watermark, ascending, restart before the cap (1,000 here)
        emulator.close();
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSearchPerSecond(10_000).withSearchResultCap(1_000)).start(0);
        for (int i = 0; i < 2_000; i++) {
            emulator.portal().createContact(Map.of("email", "cap" + i + "@example.com"));
        }
        HubSpotTestClient client = new HubSpotTestClient(emulator.baseUrl());
        assertThat(client.post(SEARCH, "{\"limit\":200,\"after\":\"1000\"}").statusCode()).isEqualTo(400);
        Set<String> seen = new HashSet<>();
        String watermark = "0";
        int restarts = 0;
        boolean done = false;
        while (!done) {
            int after = 0;
            String last = watermark;
            while (true) {
                Map<String, Object> body = Map.of("filterGroups", List.of(Map.of("filters", List.of(
                        Map.of("propertyName", "hs_object_id", "operator", "GTE", "value", watermark)))),
                        "sorts", List.of(Map.of("propertyName", "hs_object_id", "direction", "ASCENDING")),
                        "limit", 200, "after", Integer.toString(after));
                JsonNode page = json(client.post(SEARCH, write(body)));
                page.get("results").forEach(r -> seen.add(r.get("id").asText()));
                if (page.get("results").size() > 0) {
                    last = page.get("results").get(page.get("results").size() - 1).get("id").asText();
                }
                if (!page.has("paging")) {
                    done = true;
                    break;
                }
                after += 200;
                if (after + 200 > 1_000) {
                    break;
                }
            }
            watermark = last;
            restarts++;
        }
        assertThat(seen).hasSize(2_000);
        assertThat(restarts).isEqualTo(3);
    }
}
