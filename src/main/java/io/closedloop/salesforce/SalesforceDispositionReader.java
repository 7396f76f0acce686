package io.closedloop.salesforce;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.Disposition;
import io.closedloop.state.StateStore;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.core.DispositionBatch;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SalesDisposition;
import io.closedloop.core.SalesQualified;
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
 * SystemModstamp, less an overlap for late commits, and the contact roles changed since then, in one Composite call
 * of three queries (another for the roles of the closed opportunities). A record whose disposition-relevant fields
 * look as they did when last sent is skipped, so the overlap and restarts send nothing twice.
 */
public class SalesforceDispositionReader {
    public static final String SOURCE = FlowId.SALESFORCE_DISPOSITIONS.key();

    private final SalesforceClient client;
    private final StateStore store;
    private final DispositionRules rules;
    private final Clock clock;
    private final StartFrom startFrom;
    private final String cursorKey;
    private final Duration overlap;
    private final SalesforceOpportunityOutcomes outcomes;
    private final java.util.function.Consumer<String> reasonRule;
    private final int chunk;

    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       StartFrom startFrom, Duration overlap) {
        this(client, store, rules, clock, startFrom, overlap, SOURCE, status -> { });
    }

    /** @param reasonRule told the status of every Lead the rule for reasons on unmapped statuses took as rejected */
    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       StartFrom startFrom, Duration overlap, java.util.function.Consumer<String> reasonRule) {
        this(client, store, rules, clock, startFrom, overlap, SOURCE, reasonRule);
    }

    /** @param cursorKey where the reader keeps its cursor and names its runs (the backfill keeps its own) */
    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       StartFrom startFrom, Duration overlap, String cursorKey) {
        this(client, store, rules, clock, startFrom, overlap, cursorKey, status -> { });
    }

    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       StartFrom startFrom, Duration overlap, String cursorKey,
                                       java.util.function.Consumer<String> reasonRule) {
        this(client, store, rules, clock, startFrom, overlap, cursorKey, reasonRule, PolledSource.CHUNK);
    }

    /** @param chunk most records per query one read holds; more (after downtime) are read in several chunks */
    public SalesforceDispositionReader(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock,
                                       StartFrom startFrom, Duration overlap, String cursorKey,
                                       java.util.function.Consumer<String> reasonRule, int chunk) {
        this.chunk = chunk;
        this.cursorKey = cursorKey;
        this.client = client;
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.startFrom = startFrom;
        this.overlap = overlap;
        this.outcomes = new SalesforceOpportunityOutcomes(client, store.dispositions());
        this.reasonRule = reasonRule;
    }

    public DispositionBatch read() {
        // a read that fails before a batch exists still ends its run, as FAILED with the reason
        return store.runs().guard(cursorKey, runId -> read(runId, null));
    }

    /**
     * A read of what was modified before {@code until} only (a backfill's window): the watermark then moves to
     * {@code until} once the window is read through, so memory follows the window, not the range.
     */
    public DispositionBatch read(Instant until) {
        return store.runs().guard(cursorKey, runId -> read(runId, until));
    }

    private DispositionBatch read(long runId, Instant until) {
        long callsBefore = client.calls();
        Instant now = clock.instant();
        TimeWindowCursor cursor = TimeWindowCursor.parse(store.cursors().getOrStart(cursorKey,
                () -> new TimeWindowCursor(startFrom.from(now), 0).serialize()));
        String from = SalesforceDateTimes.format(cursor.watermark().minus(overlap));
        return read(runId, callsBefore, cursor, from, until, chunk);
    }

    /**
     * What one poll would send, without touching the cursor or the run log: for {@code plan}. The fingerprints of what
     * was sent before are read, so a record sent already counts as unchanged, as in a run.
     */
    public DispositionBatch preview(Instant since) {
        long callsBefore = client.calls();
        return read(0, callsBefore, new TimeWindowCursor(since, 0), SalesforceDateTimes.format(since), null, 0);
    }

    /**
     * One chunk of a bounded window, read as {@link #read(Instant)} reads it but from a cursor kept by the caller: no
     * stored cursor and no run log (for {@code plan --backfill}). Its next cursor says where the next chunk starts.
     */
    public DispositionBatch preview(TimeWindowCursor cursor, Instant until) {
        long callsBefore = client.calls();
        return read(0, callsBefore, cursor, SalesforceDateTimes.format(cursor.watermark().minus(overlap)), until, chunk);
    }

    /** Where the next poll would start reading: the cursor less the overlap, or the initial lookback. Reads only. */
    public Instant nextWindowStart() {
        Instant watermark = store.cursors().get(cursorKey).map(c -> TimeWindowCursor.parse(c).watermark())
                .orElseGet(() -> startFrom.from(clock.instant()));
        return watermark.minus(overlap);
    }

    /**
     * @param until exclusive upper bound, or null
     * @param limit most rows per query (0: no limit); a query that hits it ends the chunk at its last row's time
     */
    private DispositionBatch read(long runId, long callsBefore, TimeWindowCursor cursor, String from, Instant until, int limit) {
        List<List<JsonNode>> rows = query(from, until, limit);
        Instant cut = cut(rows, limit);
        Instant watermark = cursor.watermark();
        if (cut != null && !cut.isAfter(watermark)) {
            if (watermark.isBefore(clock.instant().minus(overlap))) {
                // the overlap alone fills a chunk (a drain under way), and rows this old are committed: read on from the watermark
                String start = SalesforceDateTimes.format(watermark);
                rows = query(start, until, limit);
                cut = cut(rows, limit);
                if (cut != null && !cut.isAfter(watermark)) {
                    // a chunk's worth at the watermark's very millisecond: that one is read whole, the next chunk starts after it
                    Instant through = watermark.plusMillis(1);
                    boolean last = until != null && !through.isBefore(until);
                    rows = query(start, last ? until : through, 0);
                    cut = last ? null : through;
                }
            } else {
                // near now the rest of the window is the overlap and a few seconds: read whole
                rows = query(from, until, 0);
                cut = null;
            }
        }
        Instant newest = cursor.watermark();
        for (List<JsonNode> records : rows) {
            if (cut != null) {
                // rows at the cut's time may go on past the limit: the next chunk reads them (fingerprints skip the repeats)
                Instant end = cut;
                records.removeIf(r -> !SalesforceDateTimes.parse(text(r, "SystemModstamp")).isBefore(end));
            }
            for (JsonNode r : records) {
                newest = max(newest, r);
            }
        }
        // a bounded window read through has covered everything before its end
        newest = cut != null ? cut : until != null && until.isAfter(newest) ? until : newest;
        return read(runId, callsBefore, cursor, rows, newest).moreToRead(cut != null);
    }

    private List<List<JsonNode>> query(String from, Instant until, int limit) {
        // the field names come from the rules, which accept only API names, so they are safe in SOQL
        String tail = SalesforceSoql.modstampTail(until == null ? null : SalesforceDateTimes.format(until), limit);
        List<List<JsonNode>> rows = client.queries(List.of(
                "SELECT Id, Email, Status, " + rules.reasonField() + ", " + rules.detailField() + ", IsConverted, ConvertedContactId, OwnerId, Owner.Name, "
                        + "SystemModstamp "
                        + "FROM Lead WHERE SystemModstamp >= " + from + tail,
                SalesforceOpportunityOutcomes.closedSince(from, tail), SalesforceOpportunityOutcomes.rolesSince(from, tail)));
        return rows.stream().map(r -> (List<JsonNode>) new ArrayList<>(r)).toList();
    }

    /** The earliest last-row time among the queries that hit the limit: everything before it was read by all three. */
    private static Instant cut(List<List<JsonNode>> rows, int limit) {
        Instant cut = null;
        for (List<JsonNode> records : rows) {
            if (limit > 0 && records.size() >= limit) {
                Instant last = SalesforceDateTimes.parse(text(records.get(records.size() - 1), "SystemModstamp"));
                cut = cut == null || last.isBefore(cut) ? last : cut;
            }
        }
        return cut;
    }

    private DispositionBatch read(long runId, long callsBefore, TimeWindowCursor cursor, List<List<JsonNode>> rows, Instant newest) {
        String reasonField = rules.reasonField();
        String detailField = rules.detailField();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, JsonNode> leads = new LinkedHashMap<>();
        for (JsonNode l : rows.get(0)) {
            leads.put(l.path("Id").asText(), l);
            fingerprints.put(l.path("Id").asText(), fingerprint(l, "Status", reasonField, detailField, "IsConverted", "OwnerId"));
        }
        Map<String, String> sent = store.dispositions().fingerprints(fingerprints.keySet());
        fingerprints.entrySet().removeIf(e -> e.getValue().equals(sent.get(e.getKey())));

        List<SalesDisposition> out = new ArrayList<>();
        List<DispositionBatch.UnmappedLead> unmapped = new ArrayList<>();
        List<SalesQualified> qualified = new ArrayList<>();
        for (var lead : leads.entrySet()) {
            if (!fingerprints.containsKey(lead.getKey())) {
                continue;
            }
            JsonNode l = lead.getValue();
            String status = text(l, "Status");
            String reason = text(l, reasonField);
            DispositionRules.Resolution r = rules.resolve(status, l.path("IsConverted").asBoolean(false), reason);
            if (r.byReasonRule()) {
                reasonRule.accept(status);
            }
            Disposition d = r.disposition();
            boolean rejected = d == Disposition.REJECTED || d == Disposition.RECYCLED;
            // an unmapped Lead keeps its reason and detail, so a replay after the mapping is fixed sends them
            boolean keep = rejected || r.unmapped();
            SalesDisposition sd = new SalesDisposition(lead.getKey(), lower(text(l, "Email")), d, keep ? reason : null,
                    keep ? text(l, detailField) : null, text(l.path("Owner"), "Name"), "Lead " + lead.getKey(),
                    SalesforceDateTimes.parse(text(l, "SystemModstamp")), null, fingerprints.get(lead.getKey()));
            if (rules.salesQualified(d)) {
                qualified.add(qualified(l, sd));
            }
            if (r.unmapped()) {
                unmapped.add(new DispositionBatch.UnmappedLead(sd, status));
            } else {
                out.add(sd);
            }
        }
        SalesforceOpportunityOutcomes.Outcomes opportunities = outcomes.read(rows.get(1), rows.get(2));
        out.addAll(opportunities.dispositions());
        List<DispositionBatch.WonOpportunity> won = opportunities.won();
        String next = new TimeWindowCursor(newest, cursor.polls() + 1).serialize();
        return new DispositionBatch(out, won, next, runId, client.calls() - callsBefore, unmapped, qualified);
    }

    /** A converted Lead can no longer be updated, so its SQL_At__c goes on the Contact it became. */
    private static SalesQualified qualified(JsonNode lead, SalesDisposition d) {
        String contact = text(lead, "ConvertedContactId");
        boolean converted = lead.path("IsConverted").asBoolean(false) && contact != null;
        return new SalesQualified(d.sfId(), d.email(), converted ? "Contact" : "Lead", converted ? contact : d.sfId(), d.disposition(),
                d.at());
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

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
