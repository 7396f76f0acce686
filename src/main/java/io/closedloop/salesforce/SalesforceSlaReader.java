package io.closedloop.salesforce;

import static io.closedloop.salesforce.SalesforceNames.EVENT_ID;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.SlaVerdict;
import io.closedloop.state.SlaClocks.SlaClock;
import io.closedloop.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads, for the open hand-off SLA clocks, what sales did in one packed call: Lead Status and conversion, the Tasks
 * sales logged on the person since the earliest start, and for clocks past their due time what a breach needs (breach
 * Tasks already in Salesforce but not in the ledger, and the owners' managers). Every value goes into SOQL escaped.
 */
public class SalesforceSlaReader {

    /** What Salesforce says about the open clocks' people. */
    public static final class Sales {
        private final Map<String, SlaVerdict.Lead> leads = new LinkedHashMap<>();
        private final Map<String, List<Instant>> tasks = new LinkedHashMap<>();
        private final Map<String, String> breachTasks = new LinkedHashMap<>();
        private final Map<String, String> managers = new LinkedHashMap<>();

        /** The clock's Lead, or null for a Contact. */
        public SlaVerdict.Lead lead(SlaClock c) {
            return leads.get(c.sfRecordId());
        }

        /** When sales logged Tasks on the clock's person since the earliest open clock started. */
        public List<Instant> tasks(SlaClock c) {
            return tasks.getOrDefault(c.sfRecordId(), List.of());
        }

        /** Breach Task ids by ledger key, for Tasks Salesforce has but the ledger does not. */
        public Map<String, String> breachTasks() {
            return breachTasks;
        }

        /** Manager user id by owner user id, read only when managers are notified. */
        public Map<String, String> managers() {
            return managers;
        }
    }

    private final SalesforceClient client;
    private final StateStore store;
    private final DispositionRules rules;

    public SalesforceSlaReader(SalesforceClient client, StateStore store, DispositionRules rules) {
        this.client = client;
        this.store = store;
        this.rules = rules;
    }

    /** One packed read: Lead Status, Tasks sales logged since the earliest start, and what a breach needs. */
    public Sales read(List<SlaClock> open, Instant now) {
        List<String> leads = open.stream().map(SlaClock::sfRecordId).filter(id -> id != null && id.startsWith("00Q")).distinct().toList();
        List<String> people = open.stream().map(SlaClock::sfRecordId).filter(id -> id != null).distinct().toList();
        Instant since = open.stream().map(SlaClock::startedAt).min(Instant::compareTo).orElse(now);
        List<SlaClock> due = open.stream().filter(c -> c.facts().overdue(now)).toList();
        List<String> kinds = new ArrayList<>();
        List<String> soqls = new ArrayList<>();
        for (String in : SalesforceSoql.inLists(leads, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
            kinds.add("lead");
            soqls.add("SELECT Id, Status, IsConverted, LastModifiedDate FROM Lead WHERE Id IN (" + in + ")");
        }
        // Closedloop's own Tasks (key moments, breaches) carry an event id; a sales action is any other Task
        for (String in : SalesforceSoql.inLists(people, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
            kinds.add("task");
            soqls.add("SELECT WhoId, CreatedDate FROM Task WHERE WhoId IN (" + in + ") AND " + EVENT_ID + " = null AND CreatedDate >= "
                    + SalesforceSoql.dateTime(since));
        }
        if (!due.isEmpty()) {
            List<String> keys = new ArrayList<>();
            due.forEach(c -> {
                keys.add(SalesforceSlaTasks.breachKey(c));
                keys.add(SalesforceSlaTasks.managerBreachKey(c));
            });
            Set<String> known = store.ledger().existing(keys);
            List<String> unknown = keys.stream().filter(k -> !known.contains(k)).toList();
            for (String in : SalesforceSoql.inLists(unknown, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
                kinds.add("breach");
                soqls.add("SELECT Id, " + EVENT_ID + " FROM Task WHERE " + EVENT_ID + " IN (" + in + ")");
            }
            if (rules.notifyManager()) {
                List<String> owners = due.stream().map(SlaClock::ownerId).filter(id -> id != null).distinct().toList();
                for (String in : SalesforceSoql.inLists(owners, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
                    kinds.add("user");
                    soqls.add("SELECT Id, ManagerId FROM User WHERE Id IN (" + in + ")");
                }
            }
        }
        Sales sales = new Sales();
        List<List<JsonNode>> results = soqls.isEmpty() ? List.of() : client.queries(soqls);
        for (int i = 0; i < results.size(); i++) {
            for (JsonNode r : results.get(i)) {
                add(sales, kinds.get(i), r);
            }
        }
        return sales;
    }

    private static void add(Sales sales, String kind, JsonNode r) {
        switch (kind) {
            case "lead" -> sales.leads.put(r.path("Id").asText(), new SlaVerdict.Lead(r.path("Status").asText(null),
                    r.path("IsConverted").asBoolean(false), instant(r.path("LastModifiedDate").asText(null))));
            case "task" -> {
                Instant at = instant(r.path("CreatedDate").asText(null));
                if (at != null) {
                    sales.tasks.computeIfAbsent(r.path("WhoId").asText(), k -> new ArrayList<>()).add(at);
                }
            }
            case "breach" -> sales.breachTasks.put(r.path(EVENT_ID).asText(), r.path("Id").asText());
            default -> {
                if (!r.path("ManagerId").isNull() && !r.path("ManagerId").asText("").isEmpty()) {
                    sales.managers.put(r.path("Id").asText(), r.path("ManagerId").asText());
                }
            }
        }
    }

    /** A datetime Salesforce returned; an unreadable one counts as absent, so one odd row never stops the watch. */
    static Instant instant(String value) {
        try {
            return SalesforceDateTimes.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
