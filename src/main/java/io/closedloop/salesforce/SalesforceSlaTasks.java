package io.closedloop.salesforce;

import static io.closedloop.salesforce.SalesforceNames.EVENT_ID;

import io.closedloop.config.DispositionRules;
import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import io.closedloop.state.SlaClocks.SlaClock;
import io.closedloop.state.StateStore;
import java.time.Clock;
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

/**
 * The hand-off SLA breach Tasks: one for the record owner, and one for the owner's manager if configured. Task takes
 * no external id, so a Task is created only when neither the ledger nor Salesforce (read by SalesforceSlaReader)
 * already has it; a Task found only in Salesforce is recorded in the ledger.
 */
public class SalesforceSlaTasks {
    public static final String SUBJECT = "Hand-off SLA breached: MQL waiting since ";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm z", Locale.ENGLISH);

    /** A breach Task Salesforce refused, with the contact whose breach waits for it. */
    public record Failure(String hubspotContactId, Classification reason) {
    }

    /**
     * What one creation pass did. A fatal failure ends the pass and is the last of the failures.
     *
     * @param missing the contacts whose breach Tasks are still missing (their breach waits for the next poll)
     */
    public record Created(Set<String> missing, List<Failure> failures) {
    }

    private final SalesforceClient client;
    private final StateStore store;
    private final DispositionRules rules;
    private final Clock clock;
    private final String apiVersion;

    public SalesforceSlaTasks(SalesforceClient client, StateStore store, DispositionRules rules, Clock clock, String apiVersion) {
        this.client = client;
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.apiVersion = apiVersion;
    }

    /** Ledger key (and event id) of a clock's breach Task for its owner; one per MQL moment. */
    public static String breachKey(SlaClock c) {
        return "sla-breach:" + c.hubspotContactId() + ":" + c.startedAt();
    }

    static String managerBreachKey(SlaClock c) {
        return breachKey(c) + ":manager";
    }

    /**
     * Creates the breach Tasks of these clocks not yet in the ledger nor in Salesforce.
     *
     * @param flow     the flow the ledger records the Tasks under
     * @param existing breach Task ids Salesforce has, by key ({@link SalesforceSlaReader.Sales#breachTasks()})
     * @param managers manager user id by owner user id ({@link SalesforceSlaReader.Sales#managers()})
     */
    public Created create(String flow, List<SlaClock> breached, Map<String, String> existing, Map<String, String> managers) {
        Map<String, SlaClock> byKey = new LinkedHashMap<>();
        Map<String, SalesforceWrite> writes = new LinkedHashMap<>();
        for (SlaClock c : breached) {
            byKey.put(breachKey(c), c);
            writes.put(breachKey(c), SalesforceWrite.create(breachKey(c), "Task", fields(c, c.ownerId(), breachKey(c), false)));
            String manager = managers.get(c.ownerId());
            if (rules.notifyManager() && manager != null && !manager.equals(c.ownerId())) {
                byKey.put(managerBreachKey(c), c);
                writes.put(managerBreachKey(c), SalesforceWrite.create(managerBreachKey(c), "Task",
                        fields(c, manager, managerBreachKey(c), true)));
            }
        }
        Set<String> done = new LinkedHashSet<>(store.ledger().existing(writes.keySet()));
        for (String key : writes.keySet()) {
            String id = existing.get(key);
            if (!done.contains(key) && id != null) {
                // created before a crash cut the ledger write short
                store.ledger().record(key, flow, "Task", id);
                done.add(key);
            }
        }
        List<Failure> failures = new ArrayList<>();
        List<SalesforceWrite> pending = writes.values().stream().filter(w -> !done.contains(w.key())).toList();
        if (!pending.isEmpty()) {
            store.fence().verify("creating SLA breach Tasks");
        }
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, pending)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                if (r.success()) {
                    store.ledger().record(r.write().key(), flow, "Task", r.id());
                    done.add(r.write().key());
                    continue;
                }
                failures.add(new Failure(byKey.get(r.write().key()).hubspotContactId(), r.failure()));
                if (r.failure().kind() == ErrorKind.FATAL) {
                    return new Created(Set.of(), failures);
                }
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        writes.keySet().stream().filter(k -> !done.contains(k)).forEach(k -> missing.add(byKey.get(k).hubspotContactId()));
        return new Created(missing, failures);
    }

    /** The Task's fields; times are shown in the business hours' zone (UTC without business hours). */
    Map<String, Object> fields(SlaClock c, String ownerId, String key, boolean forManager) {
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
}
