package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.FunnelRecords;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the funnel report needs from Salesforce in a few batched queries: the Leads created since the start of
 * the period (one query, paged), the Leads rejections name that are older (by Id, in IN lists), and the opportunities
 * those Leads were converted into (by Id); one Composite call holds up to five queries.
 */
public class SalesforceFunnelReader {
    static final String LEAD_FIELDS = "Id, CreatedDate, LeadSource, OwnerId, Status, IsConverted, ConvertedOpportunityId, "
            + SalesforceNames.MQL_AT + ", " + SalesforceNames.SQL_AT;

    private final SalesforceClient client;

    public SalesforceFunnelReader(SalesforceClient client) {
        this.client = client;
    }

    /** @param alsoLeads Lead ids to read even if created before {@code since} (the Leads rejected in the period) */
    public FunnelRecords read(Instant since, Collection<String> alsoLeads) {
        List<String> soqls = new ArrayList<>();
        soqls.add("SELECT " + LEAD_FIELDS + " FROM Lead WHERE CreatedDate >= " + SalesforceSoql.dateTime(since) + " ORDER BY CreatedDate, Id");
        SalesforceSoql.inLists(new LinkedHashSet<>(alsoLeads), SalesforceSoql.MAX_IN_CLAUSE_CHARS)
                .forEach(in -> soqls.add("SELECT " + LEAD_FIELDS + " FROM Lead WHERE Id IN (" + in + ")"));
        Map<String, FunnelRecords.Lead> leads = new LinkedHashMap<>();
        List<List<JsonNode>> results = client.queries(soqls);
        for (int i = 0; i < results.size(); i++) {
            for (JsonNode r : results.get(i)) {
                FunnelRecords.Lead lead = lead(r, i == 0);
                leads.merge(lead.id(), lead, (a, b) -> a.inPeriod() ? a : b);
            }
        }
        Set<String> opportunityIds = new LinkedHashSet<>();
        leads.values().stream().map(FunnelRecords.Lead::opportunityId).filter(id -> id != null).forEach(opportunityIds::add);
        List<FunnelRecords.Opportunity> opportunities = new ArrayList<>();
        if (!opportunityIds.isEmpty()) {
            List<String> oppQueries = SalesforceSoql.inLists(opportunityIds, SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream()
                    .map(in -> "SELECT Id, CreatedDate, IsClosed, IsWon, CloseDate, Amount FROM Opportunity WHERE Id IN (" + in + ")").toList();
            for (List<JsonNode> rows : client.queries(oppQueries)) {
                rows.forEach(o -> opportunities.add(new FunnelRecords.Opportunity(o.path("Id").asText(),
                        SalesforceDateTimes.parse(text(o, "CreatedDate")), o.path("IsClosed").asBoolean(false), o.path("IsWon").asBoolean(false),
                        text(o, "CloseDate") == null ? null : LocalDate.parse(text(o, "CloseDate").substring(0, 10)),
                        o.path("Amount").isNumber() ? o.path("Amount").decimalValue() : null)));
            }
        }
        return new FunnelRecords(List.copyOf(leads.values()), opportunities);
    }

    private static FunnelRecords.Lead lead(JsonNode r, boolean inPeriod) {
        return new FunnelRecords.Lead(r.path("Id").asText(), SalesforceDateTimes.parse(text(r, "CreatedDate")), text(r, "LeadSource"),
                text(r, "OwnerId"), text(r, "Status"), r.path("IsConverted").asBoolean(false), text(r, "ConvertedOpportunityId"),
                SalesforceDateTimes.parse(text(r, SalesforceNames.MQL_AT)), SalesforceDateTimes.parse(text(r, SalesforceNames.SQL_AT)), inPeriod);
    }

    private static String text(JsonNode node, String field) {
        return SalesforceDispositionReader.text(node, field);
    }
}
