package io.closedloop.salesforce;

import io.closedloop.core.FlowId;
import static io.closedloop.salesforce.SalesforceNames.REJECTION_DETAIL;
import static io.closedloop.salesforce.SalesforceNames.REJECTION_REASON;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.Disposition;
import io.closedloop.state.StateStore;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.core.DispositionBatch;
import io.closedloop.core.SalesDisposition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what sales did (salesforce-api.md §2): Leads and closed Opportunities modified since the watermark, by
 * SystemModstamp, less an overlap for late commits, in one Composite call of two queries (a third for the contact
 * roles of closed opportunities). A record whose disposition-relevant fields look as they did when last sent is
 * skipped, so the overlap and restarts send nothing twice.
 */
public class SalesforceDispositionReader {
    public static final String SOURCE = FlowId.SALESFORCE_DISPOSITIONS.key();

    private final SalesforceClient client;
    private final StateStore store;
    private final DispositionRules rules;
    private final Clock clock;
    private final Duration initialLookback;
    private final Duration overlap;

    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       Duration initialLookback, Duration overlap) {
        this.client = client;
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.initialLookback = initialLookback;
        this.overlap = overlap;
    }

    public DispositionBatch read() {
        // a read that fails before a batch exists still ends its run, as FAILED with the reason
        return store.runs().guard(SOURCE, this::read);
    }

    private DispositionBatch read(long runId) {
        long callsBefore = client.calls();
        Instant now = clock.instant();
        TimeWindowCursor cursor = TimeWindowCursor.parse(store.cursors().getOrStart(SOURCE,
                () -> new TimeWindowCursor(now.minus(initialLookback), 0).serialize()));
        String from = SalesforceDateTimes.format(cursor.watermark().minus(overlap));
        List<List<JsonNode>> rows = client.queries(List.of(
                "SELECT Id, Email, Status, " + REJECTION_REASON + ", " + REJECTION_DETAIL + ", IsConverted, OwnerId, Owner.Name, SystemModstamp "
                        + "FROM Lead WHERE SystemModstamp >= " + from + " ORDER BY SystemModstamp, Id",
                "SELECT Id, Name, Amount, IsWon, StageName, CloseDate, Campaign.Name, OwnerId, Owner.Name, SystemModstamp "
                        + "FROM Opportunity WHERE IsClosed = true AND SystemModstamp >= " + from + " ORDER BY SystemModstamp, Id"));
        Instant newest = cursor.watermark();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, JsonNode> leads = new LinkedHashMap<>();
        Map<String, JsonNode> opportunities = new LinkedHashMap<>();
        for (JsonNode l : rows.get(0)) {
            leads.put(l.path("Id").asText(), l);
            fingerprints.put(l.path("Id").asText(), fingerprint(l, "Status", REJECTION_REASON, REJECTION_DETAIL, "IsConverted", "OwnerId"));
            newest = max(newest, l);
        }
        for (JsonNode o : rows.get(1)) {
            opportunities.put(o.path("Id").asText(), o);
            fingerprints.put(o.path("Id").asText(), fingerprint(o, "IsWon", "StageName", "Amount", "OwnerId"));
            newest = max(newest, o);
        }
        Map<String, String> sent = store.dispositions().fingerprints(fingerprints.keySet());
        fingerprints.entrySet().removeIf(e -> e.getValue().equals(sent.get(e.getKey())));

        List<SalesDisposition> out = new ArrayList<>();
        for (var lead : leads.entrySet()) {
            if (!fingerprints.containsKey(lead.getKey())) {
                continue;
            }
            JsonNode l = lead.getValue();
            Disposition d = l.path("IsConverted").asBoolean(false) ? Disposition.CONVERTED : rules.byLeadStatus().get(text(l, "Status"));
            boolean rejected = d == Disposition.REJECTED || d == Disposition.RECYCLED;
            out.add(new SalesDisposition(lead.getKey(), lower(text(l, "Email")), d, rejected ? text(l, REJECTION_REASON) : null,
                    rejected ? text(l, REJECTION_DETAIL) : null, text(l.path("Owner"), "Name"), "Lead " + lead.getKey(),
                    SalesforceDateTimes.parse(text(l, "SystemModstamp")), null, fingerprints.get(lead.getKey())));
        }
        List<DispositionBatch.WonOpportunity> won = new ArrayList<>();
        List<String> closed = opportunities.keySet().stream().filter(fingerprints::containsKey).toList();
        if (!closed.isEmpty()) {
            Map<String, List<JsonNode>> roles = new LinkedHashMap<>();
            List<String> soqls = SalesforceSoql.inLists(closed, SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream()
                    .map(in -> "SELECT OpportunityId, ContactId, Contact.Email, IsPrimary FROM OpportunityContactRole WHERE OpportunityId IN ("
                            + in + ") ORDER BY OpportunityId, ContactId").toList();
            for (List<JsonNode> chunk : client.queries(soqls)) {
                chunk.forEach(r -> roles.computeIfAbsent(r.path("OpportunityId").asText(), k -> new ArrayList<>()).add(r));
            }
            for (String id : closed) {
                JsonNode o = opportunities.get(id);
                boolean isWon = o.path("IsWon").asBoolean(false);
                BigDecimal amount = o.path("Amount").isNumber() ? o.path("Amount").decimalValue() : null;
                List<String> contactIds = new ArrayList<>();
                List<String> emails = new ArrayList<>();
                for (JsonNode r : roles.getOrDefault(id, List.of())) {
                    String email = lower(text(r.path("Contact"), "Email"));
                    contactIds.add(r.path("ContactId").asText());
                    if (email != null) {
                        emails.add(email);
                        out.add(new SalesDisposition(id, email, isWon ? Disposition.WON : Disposition.LOST, null, null,
                                text(o.path("Owner"), "Name"), "Opportunity " + text(o, "Name"), SalesforceDateTimes.parse(text(o, "SystemModstamp")),
                                amount, fingerprints.get(id)));
                    }
                }
                if (isWon && amount != null) {
                    won.add(new DispositionBatch.WonOpportunity(id, amount, text(o.path("Campaign"), "Name"),
                            SalesforceDateTimes.parse(text(o, "SystemModstamp")), contactIds, emails));
                }
                if (roles.getOrDefault(id, List.of()).isEmpty()) {
                    // nobody to tell in HubSpot; remember it so it is not read again
                    out.add(new SalesDisposition(id, null, isWon ? Disposition.WON : Disposition.LOST, null, null,
                            text(o.path("Owner"), "Name"), "Opportunity " + text(o, "Name"), SalesforceDateTimes.parse(text(o, "SystemModstamp")),
                            amount, fingerprints.get(id)));
                }
            }
        }
        String next = new TimeWindowCursor(newest, cursor.polls() + 1).serialize();
        return new DispositionBatch(out, won, next, runId, client.calls() - callsBefore);
    }

    static String fingerprint(JsonNode record, String... fields) {
        StringBuilder s = new StringBuilder();
        for (String f : fields) {
            s.append(record.path(f).asText("")).append('\u0001');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant max(Instant current, JsonNode record) {
        Instant at = SalesforceDateTimes.parse(text(record, "SystemModstamp"));
        return at != null && at.isAfter(current) ? at : current;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
