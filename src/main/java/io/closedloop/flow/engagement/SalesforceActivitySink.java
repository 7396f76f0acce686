package io.closedloop.flow.engagement;

import io.closedloop.core.Classification;
import io.closedloop.core.ContactProfile;
import io.closedloop.core.EngagementBatch;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementEventCodec;
import io.closedloop.core.WriteOutcome;
import io.closedloop.salesforce.SalesforceAccountFinder;
import io.closedloop.salesforce.SalesforceActivityRecord;
import io.closedloop.salesforce.SalesforceActivityWriter;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceErrorClassifier;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceNames;
import io.closedloop.salesforce.SalesforceIdentityResolver.Resolution;
import io.closedloop.salesforce.SalesforceIdentityResolver.Target;
import io.closedloop.salesforce.SalesforceKeyMomentTasks;
import io.closedloop.salesforce.SalesforceLeadCreator;
import io.closedloop.salesforce.SalesforceSlaClockStarter;
import io.closedloop.salesforce.SalesforceSummaryWriter;
import io.closedloop.salesforce.SalesforceWrite;
import io.closedloop.salesforce.SalesforceWriteResult;
import io.closedloop.state.EventLedger;
import io.closedloop.state.IdentityMap;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.state.SubjectProfiles;
import io.closedloop.state.SummaryQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes engagement into Salesforce at the API-call floor: events already in the ledger are dropped, people are
 * resolved in batched SOQL, activities are upserted by their event id, and what Salesforce confirmed goes to the
 * ledger. Records that cannot be written are parked with their reason. Summary fields follow through a durable queue.
 */
public class SalesforceActivitySink {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceActivitySink.class);

    private final SalesforceClient client;
    private final StateStore store;
    private final SalesforceIdentityResolver resolver;
    private final SalesforceLeadCreator leads;
    private final SalesforceAccountFinder accounts;
    private final SalesforceActivityWriter writer;
    private final SalesforceKeyMomentTasks tasks;
    private final SalesforceSummaryWriter summaries;
    private final Clock clock;
    private SalesforceSlaClockStarter slaClocks;

    public SalesforceActivitySink(SalesforceClient client, StateStore store, SalesforceIdentityResolver resolver,
                                  SalesforceLeadCreator leads, SalesforceAccountFinder accounts, SalesforceActivityWriter writer,
                                  SalesforceKeyMomentTasks tasks, SalesforceSummaryWriter summaries, Clock clock) {
        this.client = client;
        this.store = store;
        this.resolver = resolver;
        this.leads = leads;
        this.accounts = accounts;
        this.writer = writer;
        this.tasks = tasks;
        this.summaries = summaries;
        this.clock = clock;
    }

    /** Also starts the hand-off SLA clock of every MQL moment written to an owned Lead or Contact. */
    public SalesforceActivitySink startingSlaClocks(SalesforceSlaClockStarter starter) {
        this.slaClocks = starter;
        return this;
    }

    /**
     * Route step: writes the batch's events and keeps the outcome on the batch for the checkpoint. The summary fields
     * stay queued: the source route kicks their flush ({@link SummaryFlusher}) once the whole window is committed, so
     * neither the next chunk nor the next poll waits for them, and a person in several chunks is summed up once.
     */
    public EngagementBatch writeBatch(EngagementBatch batch) {
        batch.outcome(writeQueuingSummaries(batch.source(), batch.events(), batch.profiles(), writer.bulkThreshold()));
        return batch;
    }

    public WriteOutcome write(String flow, List<EngagementEvent> events) {
        return write(flow, events, List.of());
    }

    public WriteOutcome write(String flow, List<EngagementEvent> events, List<ContactProfile> profiles) {
        long callsBefore = client.calls();
        WriteOutcome o = writeQueuingSummaries(flow, events, profiles, writer.bulkThreshold());
        // another flush may be writing summaries: these wait in the durable queue for that flush or the next
        summaries.flushUnlessBusy();
        return new WriteOutcome(o.received(), o.alreadyWritten(), o.written(), o.parked(), client.calls() - callsBefore);
    }

    /** The events not in the ledger yet (by id, once each), the key moments whose Task is missing, and the ids known. */
    record Fresh(Map<String, EngagementEvent> unique, List<EngagementEvent> taskPending, Set<String> known) {
    }

    private Fresh fresh(List<EngagementEvent> events) {
        return fresh(tasks, store, events);
    }

    static Fresh fresh(SalesforceKeyMomentTasks tasks, StateStore store, List<EngagementEvent> events) {
        Map<String, EngagementEvent> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.id(), e));
        // key moments whose Task is missing, including those of events written before
        List<EngagementEvent> taskPending = tasks.pending(List.copyOf(unique.values()));
        Set<String> known = store.ledger().existing(unique.keySet());
        known.forEach(unique::remove);
        return new Fresh(unique, taskPending, known);
    }

    /**
     * As {@link #write}, leaving the summary fields in their durable queue: a backfill writes them once for everyone
     * it touched with {@link #flushSummaries()}, not once per window, and goes through Bulk API 2.0 above its own
     * {@code bulkThreshold}.
     */
    public WriteOutcome writeQueuingSummaries(String flow, List<EngagementEvent> events, List<ContactProfile> profiles, int bulkThreshold) {
        long callsBefore = client.calls();
        Fresh fresh = fresh(events);
        Map<String, EngagementEvent> unique = fresh.unique();
        List<EngagementEvent> taskPending = fresh.taskPending();
        Set<String> known = fresh.known();
        int parked = 0;
        int written = 0;
        if (!unique.isEmpty() || !profiles.isEmpty() || !taskPending.isEmpty()) {
            Resolution resolution = leads.withLeadsForMqls(unique.values(), resolver.resolve(emails(fresh, profiles), List.of()));
            Batch batch = new Batch(flow, accounts.accountsByDomain(resolution));
            List<SalesforceWrite> writes = new ArrayList<>();
            for (EngagementEvent e : unique.values()) {
                String why = unwritable(e, resolution);
                if (why != null) {
                    batch.park(e, why.substring(why.indexOf(':') + 1).trim(), why.substring(0, why.indexOf(':')));
                    parked++;
                    continue;
                }
                writes.add(batch.add(e, resolution.byEmail().get(e.email())));
            }
            SalesforceActivityWriter.Tally tally;
            try {
                tally = writer.write(writes, batch, bulkThreshold);
            } finally {
                batch.flushParked();
            }
            written = tally.written();
            parked += tally.refused();
            recordProfiles(profiles, resolution);
            // a Task follows its activity: none for an event parked here, it comes with the replay
            parked += tasks.write(flow, taskPending.stream().filter(e -> !batch.parkedIds.contains(e.id())).toList(), resolution.byEmail());
        }
        return new WriteOutcome(events.size(), known.size(), written, parked, client.calls() - callsBefore);
    }

    /**
     * The lookups a write of these events would start with, made now so that the write finds them in the state store's
     * caches: the people not known yet (batched SOQL) and the Accounts of their Leads' new domains. Writes nothing to
     * Salesforce. For a chunk read ahead, on the read-ahead thread, while the chunk before it is written. A lookup that
     * fails here is left to the write, which makes it again and reports its failure on the usual path.
     */
    public void prefetch(List<EngagementEvent> events, List<ContactProfile> profiles) {
        try {
            Set<String> emails = emails(fresh(events), profiles);
            if (!emails.isEmpty()) {
                accounts.accountsByDomain(resolver.resolve(emails, List.of()));
            }
        } catch (RuntimeException e) {
            LOG.debug("looking up a chunk read ahead failed; its write looks up again: {}", e.getMessage());
        }
    }

    /** The people a write of these events looks up: the new events', the pending key moments' and the profiles'. */
    private static Set<String> emails(Fresh fresh, List<ContactProfile> profiles) {
        Set<String> emails = new LinkedHashSet<>();
        fresh.unique().values().stream().map(EngagementEvent::email).filter(Objects::nonNull).forEach(emails::add);
        fresh.taskPending().stream().map(EngagementEvent::email).filter(Objects::nonNull).forEach(emails::add);
        profiles.stream().map(ContactProfile::email).filter(Objects::nonNull).forEach(emails::add);
        return emails;
    }

    /** Null if the event can be written, else "CODE: reason". */
    static String unwritable(EngagementEvent e, Resolution r) {
        return r.unresolved(e.email());
    }

    /** Scores and MQL moments of resolved people go to their profile; their summary fields are queued. */
    private void recordProfiles(List<ContactProfile> profiles, Resolution resolution) {
        Map<String, SubjectProfiles.Profile> observed = new LinkedHashMap<>();
        Set<SummaryQueue.Pending> dirty = new LinkedHashSet<>();
        for (ContactProfile p : profiles) {
            Target t = p.email() == null ? null : resolution.byEmail().get(p.email().toLowerCase(Locale.ROOT));
            if (t == null) {
                // the person's events, if any, are parked with the reason; a profile alone has nothing to replay
                continue;
            }
            SubjectProfiles.Profile profile = new SubjectProfiles.Profile(p.score(), p.scoreAt(), p.mqlAt());
            observed.merge(t.id(), profile, SubjectProfiles.Profile::merge);
            dirty.add(new SummaryQueue.Pending(t.id(), t.sobject()));
        }
        store.inTransaction(() -> {
            store.profiles().record(observed);
            store.summaryQueue().add(dirty);
        });
    }

    /** Writes the queued summary fields now; a replay of parked summary writes re-queues them first. */
    public int flushSummaries() {
        return summaries.flush();
    }

    /** Last activity per subject, for callers that show it. */
    public Map<String, Instant> lastActivity(List<String> subjectIds) {
        return store.ledger().lastActivity("subject_id", subjectIds);
    }

    /** One batch's activities in flight: what each write is for, and what Salesforce said about it. */
    private final class Batch implements SalesforceActivityWriter.Results {
        private final String flow;
        private final Map<String, String> leadAccounts;
        private final Map<String, EngagementEvent> byKey = new HashMap<>();
        private final Map<String, Target> targetOf = new HashMap<>();
        private final Set<String> parkedIds = new HashSet<>();
        private final Set<String> stale = new LinkedHashSet<>();
        private final List<ParkedRecords.Parking> toPark = new ArrayList<>();

        Batch(String flow, Map<String, String> leadAccounts) {
            this.flow = flow;
            this.leadAccounts = leadAccounts;
        }

        /** Parks the batch's unwritable events in one batched statement rather than one round trip each. */
        void flushParked() {
            store.parked().parkAll(toPark);
            toPark.clear();
        }

        SalesforceWrite add(EngagementEvent e, Target t) {
            byKey.put(e.id(), e);
            targetOf.put(e.id(), t);
            return SalesforceActivityRecord.upsert(e, t, accountOf(e, t));
        }

        /** A Lead's account comes from its email domain; a Contact has its own. */
        private String accountOf(EngagementEvent e, Target t) {
            return t.lead() ? leadAccounts.get(e.emailDomain()) : t.accountId();
        }

        @Override
        public void refused(SalesforceWriteResult r) {
            EngagementEvent e = byKey.get(r.write().key());
            Classification c = r.failure();
            if (SalesforceErrorClassifier.isStaleTarget(c.code())) {
                stale.add(e.email());
            }
            park(e, c.message(), c.code());
        }

        @Override
        public void written(List<SalesforceWriteResult> results) {
            List<EventLedger.Activity> done = new ArrayList<>();
            List<IdentityMap.Identity> identities = new ArrayList<>();
            Set<SummaryQueue.Pending> dirty = new LinkedHashSet<>();
            List<SalesforceSlaClockStarter.Mql> mqls = new ArrayList<>();
            for (SalesforceWriteResult r : results) {
                EngagementEvent e = byKey.get(r.write().key());
                Target t = targetOf.get(e.id());
                String account = accountOf(e, t);
                done.add(new EventLedger.Activity(e.id(), flow, r.id(), t.id(), account, e.type().label(), e.assetName(), e.occurredAt()));
                dirty.add(new SummaryQueue.Pending(t.id(), t.sobject()));
                if (SalesforceSlaClockStarter.starts(e, t)) {
                    mqls.add(new SalesforceSlaClockStarter.Mql(e, t));
                }
                if (e.hubspotContactId() != null) {
                    identities.add(IdentityMap.Identity.of(e.hubspotContactId(), e.email(), t.lead() ? t.id() : null,
                            t.lead() ? null : t.id(), account, clock.instant()));
                }
                if (account != null) {
                    dirty.add(new SummaryQueue.Pending(account, "Account"));
                }
            }
            // clocks start before the ledger records the moment, so a crash in between starts them on the replay
            if (slaClocks != null && !mqls.isEmpty()) {
                slaClocks.start(mqls);
            }
            // one transaction, after Salesforce confirmed the records: no event is marked written without its summary queued
            store.inTransaction(() -> {
                store.ledger().recordActivities(SalesforceNames.MARKETING_ACTIVITY, done);
                store.summaryQueue().add(dirty);
                store.identities().putAll(identities);
            });
            resolver.forget(List.copyOf(stale));
            stale.clear();
        }

        private void park(EngagementEvent e, String reason, String code) {
            toPark.add(new ParkedRecords.Parking(flow, e.id(), EngagementEventCodec.toJson(e), reason,
                    SalesforceErrorClassifier.parkedKind(code), code));
            parkedIds.add(e.id());
            // one line per batch comes from the checkpoint; per-record detail is for debugging
            LOG.debug("parked event {} of flow {}: {} {}", e.id(), flow, code, reason);
        }
    }
}
