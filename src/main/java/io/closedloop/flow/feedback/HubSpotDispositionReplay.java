package io.closedloop.flow.feedback;

import io.closedloop.hubspot.HubSpotDispositionWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.DispositionRules;
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
    private final DispositionRules rules;

    public HubSpotDispositionReplay(HubSpotFeedbackSetup setup, HubSpotDispositionWriter writer, ParkedRecords parked,
                                    DispositionRules rules) {
        this.setup = setup;
        this.writer = writer;
        this.parked = parked;
        this.rules = rules;
    }

    @Override
    public Set<String> replay(String flow, List<ParkedRecord> records) {
        setup.verify();
        List<SalesDisposition> dispositions = new ArrayList<>();
        List<DispositionBatch.UnmappedLead> unmapped = new ArrayList<>();
        for (ParkedRecord r : records) {
            SalesDisposition d = fromJson(r.payload());
            String status = status(r.payload());
            if (status == null) {
                dispositions.add(d);
                continue;
            }
            // a Lead parked for its status is resolved under the rules as they are now: mapped, or parked again
            DispositionRules.Resolution resolution = rules.resolve(status, false, d.reason());
            if (resolution.unmapped()) {
                unmapped.add(new DispositionBatch.UnmappedLead(d, status));
                continue;
            }
            Disposition now = resolution.disposition();
            boolean rejected = now == Disposition.REJECTED || now == Disposition.RECYCLED;
            dispositions.add(new SalesDisposition(d.sfId(), d.email(), now, rejected ? d.reason() : null, rejected ? d.detail() : null,
                    d.ownerName(), d.sfRecordLabel(), d.at(), d.amount(), d.fingerprint(), d.stateKey()));
        }
        writer.write(new DispositionBatch(dispositions, List.of(), null, 0, 0, unmapped));
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

    /** The Lead Status of a Lead parked as UNMAPPED_STATUS, else null. */
    static String status(String json) {
        try {
            return text(JSON.readTree(json), "status");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
