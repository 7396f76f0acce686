package io.closedloop.flow.sla;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FlowId;
import io.closedloop.core.MarketingSlaStatus;
import io.closedloop.core.ReverseSlaVerdict;
import io.closedloop.core.SkippableSyncException;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.hubspot.HubSpotTaskWriter;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.state.ReverseSlaClocks.ReverseClock;
import io.closedloop.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse SLA watch (route reverse-sla-watch). Each poll takes the {@link ReverseSlaVerdict} on every open clock:
 * a new clock is announced as pending, a clock past its due time with no marketing action gets a HubSpot task for the
 * contact owner and shows breached, and an action recorded by {@link ReverseSlaActions} ends it met (in time) or
 * cleared (late). The clock moves only after HubSpot has the status, and the task id is kept as soon as HubSpot returns
 * it, so a breach makes one task and counts once, across polls and restarts.
 */
public class ReverseSlaWatch {
    /** What one poll did. */
    public record Outcome(int open, int announced, int met, int cleared, int breached) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0, 0);
    }

    public static final String FLOW = FlowId.REVERSE_SLA_WATCH.key();
    public static final String BREACHES_METRIC = "closedloop.reverse_sla.breaches";
    public static final String MET_METRIC = "closedloop.reverse_sla.met";
    private static final Logger LOG = LoggerFactory.getLogger(ReverseSlaWatch.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final StateStore store;
    private final HubSpotTaskWriter tasks;
    private final HubSpotContactWriter hubspot;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;
    private Counter breaches;
    private Counter met;

    public ReverseSlaWatch(StateStore store, HubSpotTaskWriter tasks, HubSpotContactWriter hubspot, Clock clock, Supplier<MeterRegistry> meters) {
        this.store = store;
        this.tasks = tasks;
        this.hubspot = hubspot;
        this.clock = clock;
        this.meters = meters;
    }

    private record Decision(ReverseClock clock, ReverseSlaVerdict verdict) {
        ReverseSlaVerdict.Kind kind() {
            return verdict.kind();
        }
    }

    /** Route filter: whether any clock is open (the poll costs no HubSpot call otherwise). */
    public boolean anyOpen() {
        return store.reverseSlaClocks().anyOpen();
    }

    /** Route step: one pass over the open clocks. */
    public Outcome poll() {
        List<ReverseClock> open = store.reverseSlaClocks().open();
        if (open.isEmpty()) {
            return Outcome.NONE;
        }
        Instant now = clock.instant();
        List<Decision> decisions = new ArrayList<>();
        for (ReverseClock c : open) {
            ReverseSlaVerdict.decide(c.facts(), now).ifPresent(v -> decisions.add(new Decision(c, v)));
        }
        if (decisions.isEmpty()) {
            return new Outcome(open.size(), 0, 0, 0, 0);
        }
        Set<String> tasksMissing = createTasks(decisions, now);
        // the contact shows breached only once the owner has the task to act on
        List<Decision> toWrite = decisions.stream().filter(d -> !tasksMissing.contains(d.clock().hubspotContactId())).toList();
        List<HubSpotContactWriter.Update> updates = toWrite.stream().map(ReverseSlaWatch::update).toList();
        Set<String> failed = HubSpotStatusWrites.write(hubspot, updates, store.parked(), FLOW, "reverse-sla:", "marketing SLA status", LOG);
        int[] counts = new int[4];
        for (Decision d : toWrite) {
            if (!failed.contains(d.clock().hubspotContactId())) {
                counts[move(d, now)]++;
            }
        }
        Outcome outcome = new Outcome(open.size(), counts[0], counts[1], counts[2], counts[3]);
        LOG.info("reverse-sla-watch: {} open clocks; {} pending, {} met, {} cleared, {} breached; {} not yet written", open.size(),
                outcome.announced(), outcome.met(), outcome.cleared(), outcome.breached(), failed.size() + tasksMissing.size());
        return outcome;
    }

    /** Creates the breach tasks not created yet; returns the contacts whose task is still missing. */
    private Set<String> createTasks(List<Decision> decisions, Instant now) {
        List<ReverseClock> due = decisions.stream().filter(d -> d.kind() == ReverseSlaVerdict.Kind.BREACH && d.clock().taskId() == null)
                .map(Decision::clock).toList();
        Set<String> missing = new LinkedHashSet<>();
        if (due.isEmpty()) {
            return missing;
        }
        Map<String, String> owners = tasks.owners(due.stream().map(ReverseClock::hubspotContactId).toList());
        for (ReverseClock c : due) {
            // two replicas that both believed they led would both create the task: only the current term's leader does
            store.fence().verify("creating a HubSpot task");
            try {
                String taskId = tasks.create(new HubSpotTaskWriter.Task(c.hubspotContactId(), owners.get(c.hubspotContactId()), subject(c),
                        body(c), now));
                store.reverseSlaClocks().taskCreated(c.hubspotContactId(), taskId);
            } catch (SkippableSyncException e) {
                store.parked().park(FLOW, parkedKey(c.hubspotContactId()), "{}", "HubSpot refused the reverse SLA task: " + e.getMessage(),
                        ErrorKind.SKIPPABLE, e.code());
                LOG.warn("reverse SLA task for HubSpot contact {} not created ({}); the next poll tries again", c.hubspotContactId(), e.code());
                missing.add(c.hubspotContactId());
            }
        }
        return missing;
    }

    static String subject(ReverseClock c) {
        return "Reverse SLA breached: lead handed back by sales on " + WHEN.format(c.startedAt()) + " not yet acted on";
    }

    static String body(ReverseClock c) {
        return "Sales " + ("recycled".equals(c.disposition()) ? "recycled" : "rejected") + " this lead"
                + (c.reason() == null ? "" : " (" + c.reason() + ")") + " on " + WHEN.format(c.startedAt())
                + ". Marketing agreed to act by " + WHEN.format(c.dueAt())
                + ": add the contact to the nurture list or move its lead status or lifecycle stage.";
    }

    private static HubSpotContactWriter.Update update(Decision d) {
        return new HubSpotContactWriter.Update(d.clock().hubspotContactId(), d.clock().hubspotContactId(),
                Map.of(MarketingSlaStatus.STATUS_PROPERTY, d.kind().status().value(),
                        MarketingSlaStatus.DUE_PROPERTY, Long.toString(d.clock().dueAt().toEpochMilli())));
    }

    /** Moves the clock once HubSpot has its status; returns the counts index (announced, met, cleared, breached). */
    private int move(Decision d, Instant now) {
        ReverseClock c = d.clock();
        ReverseSlaClocks clocks = store.reverseSlaClocks();
        store.parked().find(FLOW, parkedKey(c.hubspotContactId())).filter(p -> p.status() == ParkedRecords.Status.PARKED)
                .ifPresent(p -> store.parked().markResolved(p.id()));
        switch (d.kind()) {
            case ANNOUNCE -> {
                clocks.announced(c.hubspotContactId(), now);
                return 0;
            }
            case MET -> {
                if (clocks.stop(c.hubspotContactId(), ReverseSlaClocks.Status.MET, now)) {
                    count(false);
                }
                LOG.info("reverse SLA met for HubSpot contact {} ({})", c.hubspotContactId(), c.actReason());
                return 1;
            }
            case CLEARED -> {
                // acted after the due time with no breach raised yet (the daemon was down): still one breach
                if (clocks.stop(c.hubspotContactId(), ReverseSlaClocks.Status.CLEARED, now) && d.verdict().countsAsBreach()) {
                    count(true);
                }
                LOG.info("reverse SLA cleared for HubSpot contact {} ({})", c.hubspotContactId(), c.actReason());
                return 2;
            }
            default -> {
                if (clocks.markBreached(c.hubspotContactId(), now)) {
                    count(true);
                }
                LOG.warn("reverse SLA breached for HubSpot contact {}: handed back {} ({}), due {}", c.hubspotContactId(), c.startedAt(),
                        c.disposition(), c.dueAt());
                return 3;
            }
        }
    }

    private static String parkedKey(String contactId) {
        return "reverse-sla:" + contactId;
    }

    private synchronized void count(boolean breach) {
        MeterRegistry registry = meters.get();
        if (registry == null) {
            return;
        }
        if (breaches == null) {
            breaches = Counter.builder(BREACHES_METRIC).description("Reverse SLA clocks that passed their due time before marketing acted")
                    .register(registry);
            met = Counter.builder(MET_METRIC).description("Reverse SLA clocks marketing met in time").register(registry);
        }
        (breach ? breaches : met).increment();
    }
}
