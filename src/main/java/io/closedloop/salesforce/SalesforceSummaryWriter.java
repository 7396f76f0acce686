package io.closedloop.salesforce;

import io.closedloop.core.FlowId;
import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.FieldMapping;
import io.closedloop.state.EventLedger;
import io.closedloop.state.StateStore;
import io.closedloop.state.SubjectProfiles;
import io.closedloop.state.SummaryQueue;
import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.salesforce.MarketingSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recomputes the summary fields of every queued Lead, Contact and Account from the local ledger and writes
 * them in Composite calls, honouring each field's overwrite rule. Entries leave the queue only once written.
 */
public class SalesforceSummaryWriter {
    public static final String FLOW = FlowId.SALESFORCE_SUMMARY.key();
    static final int PERSON_DAYS = 7;
    static final int ACCOUNT_DAYS = 30;
    private static final int BATCH = 2_000;

    private final SalesforceClient client;
    private final StateStore store;
    private final FieldMapping mapping;
    private final Clock clock;
    private final String apiVersion;
    private volatile java.util.function.BooleanSupplier holdLeads = () -> false;

    private final java.util.concurrent.locks.ReentrantLock flushing = new java.util.concurrent.locks.ReentrantLock();

    public SalesforceSummaryWriter(SalesforceClient client, StateStore store, FieldMapping mapping, Clock clock, String apiVersion) {
        this.client = client;
        this.store = store;
        this.mapping = mapping;
        this.clock = clock;
        this.apiVersion = apiVersion;
    }

    /**
     * Leaves Lead summaries queued while {@code hold} says so: a write moves the Lead's SystemModstamp, which is the time
     * Flow 2 reads as the moment of its disposition, so a Lead sales changed is written only once Flow 2 has read it.
     */
    public SalesforceSummaryWriter holdingLeadsWhile(java.util.function.BooleanSupplier hold) {
        this.holdLeads = hold;
        return this;
    }

    /**
     * Writes queued summaries until the queue is empty or Salesforce asks to back off. One flush at a time: two
     * would race, and the one computed earlier could land in Salesforce last.
     */
    public int flush() {
        flushing.lock();
        try {
            return drain();
        } finally {
            flushing.unlock();
        }
    }

    /**
     * As {@link #flush()}, unless another flush is draining the queue (another source's poll): then this returns at
     * once, and what was queued is written by that flush or by the next one (the queue is durable). A poll does not
     * wait for another source's summaries.
     */
    public int flushUnlessBusy() {
        if (!flushing.tryLock()) {
            return 0;
        }
        try {
            return drain();
        } finally {
            flushing.unlock();
        }
    }

    private int drain() {
        int written = 0;
        boolean leadsHeld = holdLeads.getAsBoolean();
        while (true) {
            List<SummaryQueue.Pending> pending = leadsHeld ? store.summaryQueue().nextExcept("Lead", BATCH) : store.summaryQueue().next(BATCH);
            if (pending.isEmpty()) {
                return written;
            }
            Instant now = clock.instant();
            Map<String, List<SummaryQueue.Pending>> byObject = pending.stream().collect(Collectors.groupingBy(SummaryQueue.Pending::sobject));
            Map<String, Map<String, Map<String, Object>>> computed = new LinkedHashMap<>();
            for (var entry : byObject.entrySet()) {
                computed.put(entry.getKey(), compute(entry.getKey(), entry.getValue().stream().map(SummaryQueue.Pending::sfId).toList(), now));
            }
            Map<String, Map<String, JsonNode>> current = currentValues(computed);
            List<SalesforceWrite> writes = new ArrayList<>();
            computed.forEach((object, byId) -> byId.forEach((id, values) -> {
                Map<String, Object> fields = applyRules(object, id, values, current.getOrDefault(id, Map.of()));
                if (fields.size() > 1) {
                    writes.add(new SalesforceWrite(id, object, null, fields));
                }
            }));
            Set<String> done = new java.util.HashSet<>(pending.stream().map(SummaryQueue.Pending::sfId).toList());
            boolean backOff = false;
            for (SalesforceWriteResult r : SalesforceCompositePlanner.send(client, SalesforceCompositePlanner.plan(apiVersion, writes))) {
                if (r.success()) {
                    written++;
                    continue;
                }
                Classification c = r.failure();
                if (c.kind() == ErrorKind.FATAL) {
                    throw new FatalSyncException(c.code(), c.message(), null);
                }
                if (c.kind() == ErrorKind.RETRIABLE) {
                    // stays queued for the next run
                    done.remove(r.write().key());
                    backOff = true;
                } else {
                    store.parked().park(FLOW, r.write().key(), r.write().fields().toString(), c.message(), ErrorKind.SKIPPABLE, c.code());
                }
            }
            store.summaryQueue().remove(pending.stream().filter(p -> done.contains(p.sfId())).toList());
            if (backOff) {
                return written;
            }
        }
    }

    /** Keeps only the fields the mapping writes; IF_BLANK fields only where the current value is empty. */
    private Map<String, Object> applyRules(String object, String id, Map<String, Object> values, Map<String, JsonNode> current) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", id);
        values.forEach((field, value) -> {
            FieldMapping.Rule rule = mapping.rule(object, field);
            JsonNode now = current.get(field);
            boolean blank = now == null || now.isNull() || now.asText().isBlank();
            if (rule == FieldMapping.Rule.ALWAYS || (rule == FieldMapping.Rule.IF_BLANK && blank)) {
                out.put(field, value);
            }
        });
        return out;
    }

    /** The summary values of each record, from the local ledger and the marketing profile of each person. */
    private Map<String, Map<String, Object>> compute(String object, List<String> ids, Instant now) {
        boolean account = "Account".equals(object);
        // accounts are counted by the database: an account's activities can run to millions (a backfill)
        Map<String, EventLedger.AccountActivity> accounts = account
                ? store.ledger().accountActivity(ids, now.minus(Duration.ofDays(ACCOUNT_DAYS))) : Map.of();
        Map<String, List<EventLedger.Activity>> recent = account ? Map.of()
                : store.ledger().activitiesOfSubjects(ids, now.minus(Duration.ofDays(PERSON_DAYS))).stream()
                        .collect(Collectors.groupingBy(EventLedger.Activity::subjectId));
        Map<String, Instant> last = lastActivity(account, ids, accounts, recent);
        Map<String, SubjectProfiles.Profile> profiles = account ? Map.of() : store.profiles().find(ids);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String id : ids) {
            List<EventLedger.Activity> acts = recent.getOrDefault(id, List.of());
            Map<String, Object> values = new LinkedHashMap<>();
            if (last.get(id) != null) {
                values.put(SalesforceNames.LAST_MARKETING_ACTIVITY_AT, SalesforceDateTimes.format(last.get(id)));
            }
            if (account) {
                EventLedger.AccountActivity activity = accounts.getOrDefault(id, new EventLedger.AccountActivity(0, 0, List.of()));
                values.put(SalesforceNames.MARKETING_ACTIVITY_30D, Math.toIntExact(activity.activities()));
                values.put(SalesforceNames.MARKETING_ENGAGED_PEOPLE, activity.people());
                values.put(SalesforceNames.MARKETING_SUMMARY, MarketingSummary.forAccount(activity, ACCOUNT_DAYS));
            } else {
                values.put(SalesforceNames.MARKETING_ACTIVITY_7D, acts.size());
                values.put(SalesforceNames.MARKETING_SUMMARY, MarketingSummary.forPerson(acts, PERSON_DAYS));
                SubjectProfiles.Profile profile = profiles.get(id);
                if (profile != null && profile.score() != null) {
                    values.put(SalesforceNames.MARKETING_ENGAGEMENT_SCORE, profile.score());
                }
                if (profile != null && profile.mqlAt() != null) {
                    values.put(SalesforceNames.MQL_AT, SalesforceDateTimes.format(profile.mqlAt()));
                }
            }
            out.put(id, values);
        }
        return out;
    }

    /**
     * The newest activity of each record, all time. A record with activity in its summary window has it there (nothing
     * older can be newer), so the ledger is asked only about the others: in a live poll, every queued record was just
     * active, and this costs no query.
     */
    private Map<String, Instant> lastActivity(boolean account, List<String> ids, Map<String, EventLedger.AccountActivity> accounts,
                                              Map<String, List<EventLedger.Activity>> recent) {
        Map<String, Instant> last = new HashMap<>();
        if (account) {
            accounts.forEach((id, a) -> a.byType().stream().map(EventLedger.TypeCount::newest).filter(java.util.Objects::nonNull)
                    .max(Instant::compareTo).ifPresent(t -> last.put(id, t)));
        } else {
            recent.forEach((id, acts) -> acts.stream().map(EventLedger.Activity::occurredAt).filter(java.util.Objects::nonNull)
                    .max(Instant::compareTo).ifPresent(t -> last.put(id, t)));
        }
        List<String> quiet = ids.stream().filter(id -> !last.containsKey(id)).toList();
        if (!quiet.isEmpty()) {
            last.putAll(store.ledger().lastActivity(account ? "account_id" : "subject_id", quiet));
        }
        return last;
    }

    /** Current values of the IF_BLANK fields about to be written, read in packed queries; none when no rule needs them. */
    private Map<String, Map<String, JsonNode>> currentValues(Map<String, Map<String, Map<String, Object>>> computed) {
        Map<String, Map<String, JsonNode>> out = new HashMap<>();
        List<String> soqls = new ArrayList<>();
        List<List<String>> fieldsOf = new ArrayList<>();
        computed.forEach((object, byId) -> {
            List<String> readFirst = mapping.readFirst(object);
            List<String> ids = byId.entrySet().stream().filter(e -> readFirst.stream().anyMatch(e.getValue()::containsKey))
                    .map(Map.Entry::getKey).toList();
            if (ids.isEmpty()) {
                return;
            }
            for (String in : SalesforceSoql.inLists(ids, SalesforceSoql.MAX_IN_CLAUSE_CHARS)) {
                soqls.add("SELECT Id, " + String.join(", ", readFirst) + " FROM " + object + " WHERE Id IN (" + in + ")");
                fieldsOf.add(readFirst);
            }
        });
        List<List<JsonNode>> results = soqls.isEmpty() ? List.of() : client.queries(soqls);
        for (int i = 0; i < results.size(); i++) {
            for (JsonNode r : results.get(i)) {
                Map<String, JsonNode> values = new HashMap<>();
                fieldsOf.get(i).forEach(f -> values.put(f, r.get(f)));
                out.put(r.path("Id").asText(), values);
            }
        }
        return out;
    }
}
