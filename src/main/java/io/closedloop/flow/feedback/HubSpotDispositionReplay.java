package io.closedloop.flow.feedback;

import io.closedloop.hubspot.HubSpotDispositionWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.Disposition;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.core.DispositionBatch;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.core.SalesDisposition;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Replays parked Flow 2 dispositions through the same HubSpot writer; what is no longer parked afterwards was written. */
public class HubSpotDispositionReplay implements ParkedReplay.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotFeedbackSetup setup;
    private final HubSpotDispositionWriter writer;
    private final ParkedRecords parked;

    public HubSpotDispositionReplay(HubSpotFeedbackSetup setup, HubSpotDispositionWriter writer, ParkedRecords parked) {
        this.setup = setup;
        this.writer = writer;
        this.parked = parked;
    }

    @Override
    public Set<String> replay(String flow, List<ParkedRecord> records) {
        setup.verify();
        List<SalesDisposition> dispositions = new ArrayList<>();
        for (ParkedRecord r : records) {
            dispositions.add(fromJson(r.payload()));
        }
        writer.write(new DispositionBatch(dispositions, List.of(), null, 0, 0));
        Set<String> written = new LinkedHashSet<>();
        for (ParkedRecord r : records) {
            // a record that failed again was parked again, which counted one more attempt
            ParkedRecord now = parked.find(flow, r.recordKey()).orElse(r);
            if (now.attempts() == r.attempts()) {
                written.add(r.recordKey());
            }
        }
        return written;
    }

    static SalesDisposition fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            String d = text(n, "disposition");
            return new SalesDisposition(text(n, "sfId"), text(n, "email"), d == null ? null : Disposition.valueOf(d.toUpperCase(Locale.ROOT)),
                    text(n, "reason"), text(n, "detail"), text(n, "owner"), text(n, "record"),
                    text(n, "at") == null ? null : Instant.parse(text(n, "at")),
                    n.path("amount").isNumber() ? n.path("amount").decimalValue() : text(n, "amount") == null ? null : new BigDecimal(text(n, "amount")),
                    text(n, "fingerprint"), text(n, "stateKey") == null ? text(n, "sfId") : text(n, "stateKey"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a parked disposition", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
