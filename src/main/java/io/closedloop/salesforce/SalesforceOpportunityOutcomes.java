package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.Disposition;
import io.closedloop.core.DispositionBatch;
import io.closedloop.core.SalesDisposition;
import io.closedloop.state.Dispositions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The won or lost outcome of closed opportunities, per contact role (salesforce-api.md §7.4, §7.5). What was sent is
 * remembered per role, so a role added after the close is told the outcome and the others are not told again.
 */
final class SalesforceOpportunityOutcomes {
    /** The dispositions to send and the won opportunities to attribute. */
    record Outcomes(List<SalesDisposition> dispositions, List<DispositionBatch.WonOpportunity> won) {
    }

    private static final String FIELDS = "Id, Name, Amount, IsWon, StageName, CloseDate, Campaign.Name, OwnerId, Owner.Name, SystemModstamp";

    private final SalesforceClient client;
    private final Dispositions state;

    SalesforceOpportunityOutcomes(SalesforceClient client, Dispositions state) {
        this.client = client;
        this.state = state;
    }

    /** Closed opportunities changed since {@code from} (an unquoted datetime literal, §2.4). */
    static String closedSince(String from) {
        return closedSince(from, SalesforceSoql.modstampTail(null, 0));
    }

    /** @param tail {@link SalesforceSoql#modstampTail}: an upper bound, the order and a limit */
    static String closedSince(String from, String tail) {
        return "SELECT " + FIELDS + " FROM Opportunity WHERE IsClosed = true AND SystemModstamp >= " + from + tail;
    }

    /** Contact roles changed since {@code from} on closed opportunities: adding a role leaves the opportunity as it was. */
    static String rolesSince(String from) {
        return rolesSince(from, SalesforceSoql.modstampTail(null, 0));
    }

    static String rolesSince(String from, String tail) {
        return "SELECT Id, OpportunityId, SystemModstamp FROM OpportunityContactRole WHERE Opportunity.IsClosed = true"
                + " AND SystemModstamp >= " + from + tail;
    }

    Outcomes read(List<JsonNode> closed, List<JsonNode> changedRoles) {
        Map<String, JsonNode> opportunities = new LinkedHashMap<>();
        closed.forEach(o -> opportunities.put(o.path("Id").asText(), o));
        Set<String> ids = new LinkedHashSet<>(opportunities.keySet());
        List<String> elsewhere = changedRoles.stream().map(r -> r.path("OpportunityId").asText()).filter(id -> !ids.contains(id)).distinct().toList();
        ids.addAll(elsewhere);
        if (ids.isEmpty()) {
            return new Outcomes(List.of(), List.of());
        }
        // the opportunities of late roles and every candidate's roles, in as few Composite calls as they fit
        List<String> soqls = new ArrayList<>(in("SELECT " + FIELDS + " FROM Opportunity WHERE IsClosed = true AND Id IN (", elsewhere, ")"));
        int opportunityQueries = soqls.size();
        soqls.addAll(in("SELECT Id, OpportunityId, ContactId, Contact.Email, IsPrimary FROM OpportunityContactRole WHERE OpportunityId IN (",
                ids, ") ORDER BY OpportunityId, ContactId"));
        List<List<JsonNode>> results = client.queries(soqls);
        Map<String, List<JsonNode>> roles = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            for (JsonNode row : results.get(i)) {
                if (i < opportunityQueries) {
                    opportunities.put(row.path("Id").asText(), row);
                } else {
                    roles.computeIfAbsent(row.path("OpportunityId").asText(), k -> new ArrayList<>()).add(row);
                }
            }
        }
        List<String> keys = new ArrayList<>(opportunities.keySet());
        roles.values().forEach(rs -> rs.forEach(r -> keys.add(r.path("Id").asText())));
        Map<String, String> sent = state.fingerprints(keys);
        List<SalesDisposition> out = new ArrayList<>();
        List<DispositionBatch.WonOpportunity> won = new ArrayList<>();
        for (JsonNode o : opportunities.values()) {
            outcome(o, roles.getOrDefault(o.path("Id").asText(), List.of()), sent, out, won);
        }
        return new Outcomes(out, won);
    }

    private static void outcome(JsonNode o, List<JsonNode> roles, Map<String, String> sent, List<SalesDisposition> out,
                                List<DispositionBatch.WonOpportunity> won) {
        String id = o.path("Id").asText();
        String fingerprint = SalesforceDispositionReader.fingerprint(o, "IsWon", "StageName", "Amount", "OwnerId");
        List<JsonNode> untold = roles.stream().filter(r -> !fingerprint.equals(sent.get(r.path("Id").asText()))).toList();
        boolean nobody = roles.isEmpty() && !fingerprint.equals(sent.get(id));
        if (untold.isEmpty() && !nobody) {
            return;
        }
        boolean isWon = o.path("IsWon").asBoolean(false);
        BigDecimal amount = o.path("Amount").isNumber() ? o.path("Amount").decimalValue() : null;
        for (JsonNode r : untold) {
            // a contact without an email has nobody to tell in HubSpot; it is remembered all the same
            out.add(disposition(o, isWon, amount, fingerprint, lower(text(r.path("Contact"), "Email")), r.path("Id").asText()));
        }
        if (nobody) {
            out.add(disposition(o, isWon, amount, fingerprint, null, id));
        }
        if (isWon && amount != null) {
            List<String> emails = roles.stream().map(r -> lower(text(r.path("Contact"), "Email"))).filter(e -> e != null).toList();
            won.add(new DispositionBatch.WonOpportunity(id, amount, text(o.path("Campaign"), "Name"),
                    SalesforceDateTimes.parse(text(o, "SystemModstamp")), roles.stream().map(r -> r.path("ContactId").asText()).toList(), emails));
        }
    }

    private static SalesDisposition disposition(JsonNode o, boolean isWon, BigDecimal amount, String fingerprint, String email, String stateKey) {
        return new SalesDisposition(o.path("Id").asText(), email, isWon ? Disposition.WON : Disposition.LOST, null, null,
                text(o.path("Owner"), "Name"), "Opportunity " + text(o, "Name"), SalesforceDateTimes.parse(text(o, "SystemModstamp")),
                amount, fingerprint, stateKey);
    }

    private static List<String> in(String head, Collection<String> ids, String tail) {
        return SalesforceSoql.inLists(ids, SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream().map(list -> head + list + tail).toList();
    }

    private static String text(JsonNode node, String field) {
        return SalesforceDispositionReader.text(node, field);
    }

    private static String lower(String s) {
        return SalesforceDispositionReader.lower(s);
    }
}
