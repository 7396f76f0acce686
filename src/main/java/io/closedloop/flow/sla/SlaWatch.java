package io.closedloop.flow.sla;

import io.closedloop.core.FlowId;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.SlaStatus;
import io.closedloop.core.SlaVerdict;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.salesforce.SalesforceSlaReader;
import io.closedloop.salesforce.SalesforceSlaTasks;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.SlaClocks.SlaClock;
import io.closedloop.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off SLA watch (route sla-watch). Each poll reads, for every open clock, what sales did (one packed
 * Salesforce call, {@link SalesforceSlaReader}), takes the {@link SlaVerdict} on it, creates the breach Tasks
 * ({@link SalesforceSlaTasks}) and writes every outcome to the HubSpot contact. The clock moves only after the writes
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

    public static final String FLOW = FlowId.SLA_WATCH.key();
    public static final String BREACHES_METRIC = "closedloop.sla.breaches";
    private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);

    private final SalesforceSlaReader reader;
    private final SalesforceSlaTasks tasks;
    private final HubSpotContactWriter hubspot;
    private final StateStore store;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;
    private Counter breaches;

    /** @param meters the registry /observe/metrics serves, looked up when the first breach is counted */
    public SlaWatch(SalesforceSlaReader reader, SalesforceSlaTasks tasks, HubSpotContactWriter hubspot, StateStore store, Clock clock,
                    Supplier<MeterRegistry> meters) {
        this.reader = reader;
        this.tasks = tasks;
        this.hubspot = hubspot;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /** Ledger key that says the HubSpot contact was told its new clock is on track. */
    static String announceKey(SlaClock c) {
        return "sla-start:" + c.hubspotContactId() + ":" + c.startedAt();
    }

    private record Decision(SlaClock clock, SlaVerdict verdict) {
        SlaVerdict.Kind kind() {
            return verdict.kind();
        }
    }

    /** Route step: one pass over the open clocks. */
    public Outcome poll() {
        List<SlaClock> open = store.slaClocks().open();
        if (open.isEmpty()) {
            return Outcome.NONE;
        }
        Instant now = clock.instant();
        SalesforceSlaReader.Sales sales = reader.read(open, now);
        List<Decision> decisions = new ArrayList<>();
        Set<String> announced = store.ledger().existing(open.stream().map(SlaWatch::announceKey).toList());
        for (SlaClock c : open) {
            SlaVerdict.decide(c.facts(), sales.lead(c), sales.tasks(c), now, announced.contains(announceKey(c)))
                    .ifPresent(v -> decisions.add(new Decision(c, v)));
        }
        if (decisions.isEmpty()) {
            return new Outcome(open.size(), 0, 0, 0, 0);
        }
        Set<String> tasksMissing = createBreachTasks(decisions, sales);
        // the contact shows breached only once the rep has the Task to act on
        List<Decision> toWrite = decisions.stream().filter(d -> !tasksMissing.contains(d.clock().hubspotContactId())).toList();
        List<HubSpotContactWriter.Update> updates = toWrite.stream().map(SlaWatch::update).toList();
        Set<String> failed = HubSpotStatusWrites.write(hubspot, updates, store.parked(), FLOW, "sla:", "SLA status", LOG);
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

    /** Creates the breach Tasks; returns the contacts whose Tasks are still missing (their breach waits for the next poll). */
    private Set<String> createBreachTasks(List<Decision> decisions, SalesforceSlaReader.Sales sales) {
        List<SlaClock> breached = decisions.stream().filter(d -> d.kind() == SlaVerdict.Kind.BREACH).map(Decision::clock).toList();
        SalesforceSlaTasks.Created created = tasks.create(FLOW, breached, sales.breachTasks(), sales.managers());
        for (SalesforceSlaTasks.Failure f : created.failures()) {
            if (f.reason().kind() == ErrorKind.FATAL) {
                throw new FatalSyncException(f.reason().code(), f.reason().message(), null);
            }
            LOG.warn("breach Task for HubSpot contact {} not created ({} {}); the next poll tries again",
                    f.hubspotContactId(), f.reason().code(), f.reason().message());
        }
        return created.missing();
    }

    private static HubSpotContactWriter.Update update(Decision d) {
        return new HubSpotContactWriter.Update(d.clock().hubspotContactId(), d.clock().hubspotContactId(),
                Map.of(SlaStatus.STATUS_PROPERTY, d.kind().status().value(),
                        SlaStatus.DUE_PROPERTY, Long.toString(d.clock().dueAt().toEpochMilli())));
    }

    /** Moves the clock once HubSpot has its status; returns the counts index (announced, met, late, breached). */
    private int move(Decision d) {
        SlaClock c = d.clock();
        String reason = d.verdict().reason();
        store.parked().find(FLOW, "sla:" + c.hubspotContactId()).filter(p -> p.status() == ParkedRecords.Status.PARKED)
                .ifPresent(p -> store.parked().markResolved(p.id()));
        switch (d.kind()) {
            case ANNOUNCE -> {
                store.ledger().record(announceKey(c), FLOW, "HubSpotContact", c.hubspotContactId());
                return 0;
            }
            case MET -> {
                store.slaClocks().stop(c.hubspotContactId(), d.verdict().actedAt(), reason);
                LOG.info("hand-off SLA met for HubSpot contact {} ({})", c.hubspotContactId(), reason);
                return 1;
            }
            case WORKED_LATE -> {
                // a breach nobody was told about (the daemon was down at the due time) still counts as one
                if (store.slaClocks().stopLate(c.hubspotContactId(), d.verdict().actedAt(), reason)) {
                    countBreach();
                } else {
                    store.slaClocks().stop(c.hubspotContactId(), d.verdict().actedAt(), reason);
                }
                LOG.info("hand-off SLA worked late for HubSpot contact {} ({})", c.hubspotContactId(), reason);
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
}
