package io.closedloop.flow.sla;

import io.closedloop.core.Classification;

import io.closedloop.core.SlaStatus;

import io.closedloop.core.FatalSyncException;

import io.closedloop.core.ErrorKind;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.DispositionRules;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceCompositePlanner;
import io.closedloop.salesforce.SalesforceSoql;
import io.closedloop.salesforce.SalesforceWrite;
import io.closedloop.salesforce.SalesforceWriteResult;
import io.closedloop.state.SlaClocks;
import io.closedloop.state.SlaClocks.SlaClock;
import io.closedloop.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off SLA watch (route sla-watch). Each poll reads, for every open clock, what sales did in one packed
 * Composite call (Lead Status and conversion, Tasks logged on the person, plus what a breach needs), then:
 * a clock whose person was worked stops as met (or worked late after the due time); a clock past its due time
 * breaches once (a Salesforce Task for the owner, and the manager if configured, and the counter); a new clock is
 * announced as on track. Every outcome goes to the HubSpot contact first; the clock moves only after the writes
 * succeeded, so a failed write is retried by the next poll, and the ledger keeps breach Tasks from being created twice.
 */
public class SlaWatch {
    /** What one poll did. */
    public record Outcome(int open, int announced, int met, int workedLate, int breached) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0, 0);

        public boolean changedAnything() {
            return announced + met + workedLate + breached > 0;
        }
    }

    public static final String FLOW = "sla-watch";
    public static final String BREACHES_METRIC = "closedloop.sla.breaches";
    static final String EVENT_ID = "Closedloop_Event_Id__c";
    static final String SUBJECT = "Hand-off SLA breached: MQL waiting since ";
    private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm z", Locale.ENGLISH);

    private final SalesforceClient salesforce;
    private final HubSpotContactWriter hubspot;
    private final StateStore store;
    private final DispositionRules rules;
    private final Clock clock;
    private final String apiVersion;
    private final Supplier<MeterRegistry> meters;
    private Counter breaches;

    /** @param meters the registry /observe/metrics serves, looked up when the first breach is counted */
    public SlaWatch(SalesforceClient salesforce, HubSpotContactWriter hubspot, StateStore store, DispositionRules rules, Clock clock,
                    String apiVersion, Supplier<MeterRegistry> meters) {
        this.salesforce = salesforce;
        this.hubspot = hubspot;
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.apiVersion = apiVersion;
        this.meters = meters;
    }

    /** Ledger key of a clock's breach Task for its owner; one per MQL moment. */
    public static String breachKey(SlaClock c) {
        return "sla-breach:" + c.hubspotContactId() + ":" + c.startedAt();
    }

    static String managerBreachKey(SlaClock c) {
        return breachKey(c) + ":manager";
    }

    /** Ledger key that says the HubSpot contact was told its new clock is on track. */
    static String announceKey(SlaClock c) {
        return "sla-start:" + c.hubspotContactId() + ":" + c.startedAt();
    }

    private enum Verdict { ANNOUNCE, MET, WORKED_LATE, BREACH }

    private record Decision(SlaClock clock, Verdict verdict, Instant actedAt, String reason) {
    }

    /** Route step: one pass over the open clocks. */
    public Outcome poll() {
        List<SlaClock> open = store.slaClocks().open();
        if (open.isEmpty()) {
            return Outcome.NONE;
        }
        Instant now = clock.instant();
        SalesState sales = readSales(open, now);
        List<Decision> decisions = new ArrayList<>();
        Set<String> announced = store.ledger().existing(open.stream().map(SlaWatch::announceKey).toList());
        for (SlaClock c : open) {
            Decision d = decide(c, sales, now, announced.contains(announceKey(c)));
            if (d != null) {
                decisions.add(d);
            }
        }
        if (decisions.isEmpty()) {
            return new Outcome(open.size(), 0, 0, 0, 0);
        }
        Set<String> tasksMissing = createBreachTasks(decisions.stream().filter(d -> d.verdict() == Verdict.BREACH).toList(), sales);
        // the contact shows breached only once the rep has the Task to act on
        List<Decision> toWrite = decisions.stream().filter(d -> !tasksMissing.contains(d.clock().hubspotContactId())).toList();
        List<HubSpotContactWriter.Update> updates = toWrite.stream().map(this::update).toList();
        Set<String> failed = new LinkedHashSet<>();
        for (HubSpotContactWriter.Failure f : hubspot.update(updates)) {
            failed.add(f.key());
            if (f.reason().kind() == ErrorKind.FATAL) {
                throw new FatalSyncException(f.reason().code(), f.reason().message(), null);
            }
            if (f.reason().kind() == ErrorKind.SKIPPABLE) {
                store.parked().park(FLOW, "sla:" + f.key(), payload(updates, f.key()), "HubSpot refused the SLA status: "
                        + f.reason().message(), ErrorKind.SKIPPABLE, f.reason().code());
            }
            LOG.warn("SLA status of HubSpot contact {} not written ({} {}); the next poll tries again", f.key(), f.reason().code(),
                    f.reason().message());
        }
        int[] counts = new int[4];
        for (Decision d : toWrite) {
            if (!failed.contains(d.clock().hubspotContactId())) {
                counts[move(d)]++;
            }
        }
        Outcome outcome = new Outcome(open.size(), counts[0], counts[1], counts[2], counts[3]);
        if (outcome.changedAnything() || !failed.isEmpty() || !tasksMissing.isEmpty()) {
            LOG.info("sla-watch: {} open clocks; {} on track, {} met, {} worked late, {} breached; {} not yet written",
                    open.size(), outcome.announced(), outcome.met(), outcome.workedLate(), outcome.breached(),
                    failed.size() + tasksMissing.size());
        }
        return outcome;
    }

    /** The verdict on one open clock, or null when there is nothing to write. */
    private Decision decide(SlaClock c, SalesState sales, Instant now, boolean announced) {
        JsonNode lead = sales.leads.get(c.sfRecordId());
        Instant acted = null;
        String reason = null;
        if (lead != null && (lead.path("IsConverted").asBoolean(false)
                || (c.startStatus() != null && !c.startStatus().equals(lead.path("Status").asText(null))))) {
            // the exact time of a status change is not queryable; LastModifiedDate is when it happened at the latest
            Instant modified = instant(lead.path("LastModifiedDate").asText(null));
            acted = modified == null || modified.isAfter(now) ? now : modified;
            reason = lead.path("IsConverted").asBoolean(false) ? "Lead converted" : "Lead Status changed to " + lead.path("Status").asText();
        }
        Instant task = sales.firstTask(c);
        if (task != null && (acted == null || task.isBefore(acted))) {
            acted = task;
            reason = "Task logged";
        }
        if (acted != null) {
            boolean late = c.status() == SlaClocks.Status.BREACHED || acted.isAfter(c.dueAt());
            return new Decision(c, late ? Verdict.WORKED_LATE : Verdict.MET, acted, reason);
        }
        if (c.status() == SlaClocks.Status.RUNNING && !c.dueAt().isAfter(now)) {
            return new Decision(c, Verdict.BREACH, null, null);
        }
        if (c.status() == SlaClocks.Status.RUNNING && !announced) {
            return new Decision(c, Verdict.ANNOUNCE, null, null);
        }
        return null;
    }

    private HubSpotContactWriter.Update update(Decision d) {
        SlaStatus status = switch (d.verdict()) {
            case ANNOUNCE -> SlaStatus.ON_TRACK;
            case MET -> SlaStatus.MET;
            case WORKED_LATE -> SlaStatus.WORKED_LATE;
            case BREACH -> SlaStatus.BREACHED;
        };
        return new HubSpotContactWriter.Update(d.clock().hubspotContactId(), d.clock().hubspotContactId(),
                Map.of(SlaStatus.STATUS_PROPERTY, status.value(),
                        SlaStatus.DUE_PROPERTY, Long.toString(d.clock().dueAt().toEpochMilli())));
    }

    /** Moves the clock once HubSpot has its status; returns the counts index (announced, met, late, breached). */
    private int move(Decision d) {
        SlaClock c = d.clock();
        store.parked().find(FLOW, "sla:" + c.hubspotContactId()).filter(p -> p.status() == io.closedloop.state.ParkedRecords.Status.PARKED)
                .ifPresent(p -> store.parked().markResolved(p.id()));
        switch (d.verdict()) {
            case ANNOUNCE -> {
                store.ledger().record(announceKey(c), FLOW, "HubSpotContact", c.hubspotContactId());
                return 0;
            }
            case MET -> {
                store.slaClocks().stop(c.hubspotContactId(), d.actedAt(), d.reason());
                LOG.info("hand-off SLA met for HubSpot contact {} ({})", c.hubspotContactId(), d.reason());
                return 1;
            }
            case WORKED_LATE -> {
                // a breach nobody was told about (the daemon was down at the due time) still counts as one
                if (store.slaClocks().stopLate(c.hubspotContactId(), d.actedAt(), d.reason())) {
                    countBreach();
                } else {
                    store.slaClocks().stop(c.hubspotContactId(), d.actedAt(), d.reason());
                }
                LOG.info("hand-off SLA worked late for HubSpot contact {} ({})", c.hubspotContactId(), d.reason());
                return 2;
            }
            default -> {
                if (store.slaClocks().markBreached(c.hubspotContactId(), clock.instant())) {
                    countBreach();
                }
                LOG.warn("hand-off SLA breached for HubSpot contact {} on {} (owner {}), due {}", c.hubspotContactId(),
                        c.sfRecordId(), c.ownerId(), c.dueAt());
                return 3;
            }
        }
    }

    private synchronized void countBreach() {
        if (breaches == null) {
            MeterRegistry registry = meters.get();
            if (registry == null) {
                return;
            }
            breaches = Counter.builder(BREACHES_METRIC).description("Hand-off SLA clocks that passed their due time before sales acted")
                    .register(registry);
        }
        breaches.increment();
    }

    /**
     * Creates the breach Tasks not yet in the ledger nor in Salesforce; returns the contacts whose Tasks are still
     * missing (their breach waits for the next poll).
     */
    private Set<String> createBreachTasks(List<Decision> breaches, SalesState sales) {
        Map<String, SlaClock> byKey = new LinkedHashMap<>();
        Map<String, SalesforceWrite> writes = new LinkedHashMap<>();
        for (Decision d : breaches) {
            SlaClock c = d.clock();
            byKey.put(breachKey(c), c);
            writes.put(breachKey(c), SalesforceWrite.create(breachKey(c), "Task", taskFields(c, c.ownerId(), breachKey(c), false)));
            String manager = sales.managers.get(c.ownerId());
            if (rules.notifyManager() && manager != null && !manager.equals(c.ownerId())) {
                byKey.put(managerBreachKey(c), c);
                writes.put(managerBreachKey(c), SalesforceWrite.create(managerBreachKey(c), "Task",
                        taskFields(c, manager, managerBreachKey(c), true)));
            }
        }
        Set<String> done = new LinkedHashSet<>(store.ledger().existing(writes.keySet()));
        for (String key : writes.keySet()) {
            String existing = sales.breachTasks.get(key);
            if (!done.contains(key) && existing != null) {
                // created before a crash cut the ledger write short
                store.ledger().record(key, FLOW, "Task", existing);
                done.add(key);
            }
        }
        List<SalesforceWrite> pending = writes.values().stream().filter(w -> !done.contains(w.key())).toList();
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, pending)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, salesforce.composite(call.body()))) {
                if (r.success()) {
                    store.ledger().record(r.write().key(), FLOW, "Task", r.id());
                    done.add(r.write().key());
                    continue;
                }
                Classification c = r.failure();
                if (c.kind() == ErrorKind.FATAL) {
                    throw new FatalSyncException(c.code(), c.message(), null);
                }
                LOG.warn("breach Task for HubSpot contact {} not created ({} {}); the next poll tries again",
                        byKey.get(r.write().key()).hubspotContactId(), c.code(), c.message());
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        writes.keySet().stream().filter(k -> !done.contains(k)).forEach(k -> missing.add(byKey.get(k).hubspotContactId()));
        return missing;
    }

    private Map<String, Object> taskFields(SlaClock c, String ownerId, String key, boolean forManager) {
        ZoneId zone = rules.businessHours() == null ? ZoneOffset.UTC : rules.businessHours().zone();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("WhoId", c.sfRecordId());
        f.put("OwnerId", ownerId);
        f.put("Subject", SUBJECT + WHEN.format(c.startedAt().atZone(zone)));
        f.put("ActivityDate", clock.instant().atZone(zone).toLocalDate().toString());
        f.put("Status", "Not Started");
        f.put("Priority", "High");
        f.put("TaskSubtype", "Task");
        String hours = rules.businessHours() == null ? "hours" : "business hours";
        StringBuilder d = new StringBuilder("This marketing qualified lead became an MQL on ")
                .append(WHEN.format(c.startedAt().atZone(zone))).append(" and was due to be worked by ")
                .append(WHEN.format(c.dueAt().atZone(zone))).append(" (hand-off SLA, counted in ").append(hours).append(").\n")
                .append("Log a call or a task on the record, or move its Lead Status on, to stop the clock.");
        if (forManager) {
            d.append("\nYou receive this as the manager of the record owner (user ").append(c.ownerId()).append(").");
        }
        f.put("Description", d.toString());
        f.put(EVENT_ID, key);
        return f;
    }

    /** What Salesforce says about the open clocks' people. */
    private static final class SalesState {
        final Map<String, JsonNode> leads = new LinkedHashMap<>();
        final Map<String, List<Instant>> tasks = new LinkedHashMap<>();
        final Map<String, String> breachTasks = new LinkedHashMap<>();
        final Map<String, String> managers = new LinkedHashMap<>();

        Instant firstTask(SlaClock c) {
            return tasks.getOrDefault(c.sfRecordId(), List.of()).stream().filter(t -> !t.isBefore(c.startedAt())).min(Instant::compareTo)
                    .orElse(null);
        }
    }

    /** One packed read: Lead Status, Tasks sales logged since the earliest start, and what a breach needs. */
    private SalesState readSales(List<SlaClock> open, Instant now) {
        List<String> leads = open.stream().map(SlaClock::sfRecordId).filter(id -> id != null && id.startsWith("00Q")).distinct().toList();
        List<String> people = open.stream().map(SlaClock::sfRecordId).filter(id -> id != null).distinct().toList();
        Instant since = open.stream().map(SlaClock::startedAt).min(Instant::compareTo).orElse(now);
        List<SlaClock> due = open.stream().filter(c -> c.status() == SlaClocks.Status.RUNNING && !c.dueAt().isAfter(now)).toList();
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
                keys.add(breachKey(c));
                keys.add(managerBreachKey(c));
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
        SalesState state = new SalesState();
        List<List<JsonNode>> results = soqls.isEmpty() ? List.of() : salesforce.queries(soqls);
        for (int i = 0; i < results.size(); i++) {
            for (JsonNode r : results.get(i)) {
                switch (kinds.get(i)) {
                    case "lead" -> state.leads.put(r.path("Id").asText(), r);
                    case "task" -> {
                        Instant at = instant(r.path("CreatedDate").asText(null));
                        if (at != null) {
                            state.tasks.computeIfAbsent(r.path("WhoId").asText(), k -> new ArrayList<>()).add(at);
                        }
                    }
                    case "breach" -> state.breachTasks.put(r.path(EVENT_ID).asText(), r.path("Id").asText());
                    default -> {
                        if (!r.path("ManagerId").isNull() && !r.path("ManagerId").asText("").isEmpty()) {
                            state.managers.put(r.path("Id").asText(), r.path("ManagerId").asText());
                        }
                    }
                }
            }
        }
        return state;
    }

    private static String payload(List<HubSpotContactWriter.Update> updates, String key) {
        return updates.stream().filter(u -> u.key().equals(key)).findFirst().map(u -> u.properties().toString()).orElse("{}");
    }

    /** Salesforce datetimes look like 2024-06-03T09:20:40.000+0000. */
    static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XX")).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(value);
            } catch (RuntimeException again) {
                return null;
            }
        }
    }
}
