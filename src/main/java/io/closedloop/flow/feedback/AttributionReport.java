package io.closedloop.flow.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.state.Dispositions;
import io.closedloop.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ops view of campaign attribution: per model, each campaign's won amount and opportunity count. */
public class AttributionReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;

    public AttributionReport(StateStore store) {
        this.store = store;
    }

    public Map<String, List<Map<String, Object>>> byModel() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (Dispositions.CampaignTotal t : store.dispositions().campaignTotals()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("campaign", t.campaign());
            row.put("amount", t.amount());
            row.put("opportunities", t.opportunities());
            out.computeIfAbsent(t.model(), k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    public String json() throws com.fasterxml.jackson.core.JsonProcessingException {
        return JSON.writeValueAsString(Map.of("models", byModel()));
    }
}
