package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.Classification;
import io.closedloop.core.SalesQualified;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes SQL_At__c on the Lead (or the Contact of a converted Lead) of each sales-qualified moment, once: the targets
 * are read first, in one Composite of queries, and a value already there is left as it is; the blank ones are
 * updated by Id through sObject Collections, 200 a collection.
 */
public class SalesforceSqlStamps {
    /** A moment whose record Salesforce refused to update, by Lead id. */
    public record Failure(String leadId, Classification reason) {
    }

    /**
     * @param done     Lead ids whose record now has SQL_At__c (written now or found there)
     * @param written  how many records this pass updated
     * @param failures what Salesforce refused; those moments stay pending
     */
    public record Outcome(Set<String> done, int written, List<Failure> failures) {
    }

    private final SalesforceClient client;
    private final String apiVersion;

    public SalesforceSqlStamps(SalesforceClient client, String apiVersion) {
        this.client = client;
        this.apiVersion = apiVersion;
    }

    public Outcome stamp(List<SalesQualified> moments) {
        if (moments.isEmpty()) {
            return new Outcome(Set.of(), 0, List.of());
        }
        Map<String, Map<String, SalesQualified>> byObject = new LinkedHashMap<>();
        moments.forEach(m -> byObject.computeIfAbsent(m.targetObject(), k -> new LinkedHashMap<>()).put(m.targetId(), m));
        List<String> soqls = new ArrayList<>();
        for (var object : byObject.entrySet()) {
            // the object name is Lead or Contact (set by the reader); the ids are quoted literals
            for (String in : SalesforceSoql.inLists(object.getValue().keySet(), SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
                soqls.add("SELECT Id, " + SalesforceNames.SQL_AT + " FROM " + object.getKey() + " WHERE Id IN (" + in + ")");
            }
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (List<JsonNode> rows : client.queries(soqls)) {
            rows.forEach(r -> found.put(r.path("Id").asText(), r));
        }
        Set<String> done = new LinkedHashSet<>();
        List<SalesforceWrite> writes = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (SalesQualified m : moments) {
            JsonNode record = found.get(m.targetId());
            if (record == null) {
                failures.add(new Failure(m.leadId(), SalesforceErrorClassifier.classifyCode("ENTITY_IS_DELETED",
                        m.targetObject() + " " + m.targetId() + " is not in Salesforce")));
            } else if (!record.path(SalesforceNames.SQL_AT).isNull() && !record.path(SalesforceNames.SQL_AT).asText("").isBlank()) {
                done.add(m.leadId());
            } else {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("Id", m.targetId());
                fields.put(SalesforceNames.SQL_AT, SalesforceDateTimes.format(m.at()));
                writes.add(new SalesforceWrite(m.leadId(), m.targetObject(), null, fields));
            }
        }
        int written = 0;
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, writes)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                if (r.success()) {
                    done.add(r.write().key());
                    written++;
                } else {
                    failures.add(new Failure(r.write().key(), r.failure()));
                }
            }
        }
        return new Outcome(done, written, failures);
    }
}
