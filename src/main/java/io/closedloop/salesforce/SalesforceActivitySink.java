package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.FieldMapping;
import io.closedloop.config.KeyMoments;
import io.closedloop.state.EventLedger;
import io.closedloop.state.IdentityMap;
import io.closedloop.state.StateStore;
import io.closedloop.state.SubjectProfiles;
import io.closedloop.state.SummaryQueue;
import io.closedloop.core.ActivityType;
import io.closedloop.core.Classification;
import io.closedloop.core.ContactProfile;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementEventCodec;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.core.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes engagement into Salesforce at the API-call floor: events already in the ledger are dropped,
 * people are resolved in batched SOQL, activities are upserted by their event id in Composite calls of five
 * 200-record collections, and every per-record result is read. Records that cannot be written are parked
 * with their reason; only failed records are retried. Summary fields follow through a durable queue.
 */
public class SalesforceActivitySink {
    public static final String ACTIVITY = "Marketing_Activity__c";
    public static final String EVENT_ID = "Closedloop_Event_Id__c";
    /** Retry rounds for per-record retriable failures (row locks) within one batch. */
    static final int RECORD_RETRIES = 3;
    /** Codes that mean the cached Lead or Contact is gone or converted: forget it and retry later. */
    static final Set<String> STALE_TARGET = Set.of("ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "CANNOT_UPDATE_CONVERTED_LEAD");
    /** Free-mail domains never roll up to an account. */
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com",
            "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de",
            "mail.com", "yandex.com", "yandex.ru", "qq.com", "163.com", "web.de");

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceActivitySink.class);

    private final SalesforceClient client;
    private final SalesforceIdentityResolver resolver;
    private final StateStore store;
    private final SalesforceSummaryWriter summaries;
    private final Clock clock;
    private final String apiVersion;
    private final Duration retryBackoff;
    private final SalesforceKeyMomentTasks tasks;
    private final boolean createLeadsForMqls;
    private SalesforceSlaClockStarter slaClocks;

    public SalesforceActivitySink(SalesforceClient client, SalesforceIdentityResolver resolver, StateStore store,
                                  FieldMapping mapping, Clock clock, String apiVersion, Duration retryBackoff) {
        this(client, resolver, store, mapping, KeyMoments.none(), false, clock, apiVersion, retryBackoff);
    }

    public SalesforceActivitySink(SalesforceClient client, SalesforceIdentityResolver resolver, StateStore store,
                                  FieldMapping mapping, KeyMoments keyMoments, boolean createLeadsForMqls, Clock clock,
                                  String apiVersion, Duration retryBackoff) {
        this.client = client;
        this.resolver = resolver;
        this.store = store;
        this.clock = clock;
        this.apiVersion = apiVersion;
        this.retryBackoff = retryBackoff;
        this.summaries = new SalesforceSummaryWriter(client, store, mapping, clock, apiVersion);
        this.tasks = new SalesforceKeyMomentTasks(client, store, keyMoments, apiVersion);
        this.createLeadsForMqls = createLeadsForMqls;
    }

    /** Also starts the hand-off SLA clock of every MQL moment written to an owned Lead or Contact. */
    public SalesforceActivitySink startingSlaClocks(SalesforceSlaClockStarter starter) {
        this.slaClocks = starter;
        return this;
    }

    /** Route step: writes the batch's events and keeps the outcome on the batch for the checkpoint. */
    public io.closedloop.core.EngagementBatch writeBatch(io.closedloop.core.EngagementBatch batch) {
        batch.outcome(write(batch.source(), batch.events(), batch.profiles()));
        return batch;
    }

    public WriteOutcome write(String flow, List<EngagementEvent> events) {
        return write(flow, events, List.of());
    }

    public WriteOutcome write(String flow, List<EngagementEvent> events, List<ContactProfile> profiles) {
        long callsBefore = client.calls();
        Map<String, EngagementEvent> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.id(), e));
        // key moments whose Task is missing, including those of events written before
        List<EngagementEvent> taskPending = tasks.pending(List.copyOf(unique.values()));
        Set<String> known = store.ledger().existing(unique.keySet());
        known.forEach(unique::remove);
        int parked = 0;
        int written = 0;
        if (!unique.isEmpty() || !profiles.isEmpty() || !taskPending.isEmpty()) {
            Set<String> emails = unique.values().stream().map(EngagementEvent::email).filter(e -> e != null)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            taskPending.stream().map(EngagementEvent::email).filter(e -> e != null).forEach(emails::add);
            profiles.stream().map(ContactProfile::email).filter(e -> e != null).forEach(emails::add);
            SalesforceIdentityResolver.Resolution resolution = resolver.resolve(emails, List.of());
            if (createLeadsForMqls) {
                resolution = withLeadsForMqls(flow, unique.values(), resolution);
            }
            Map<String, String> leadAccounts = accountsForLeads(resolution);

            Set<String> parkedIds = new java.util.HashSet<>();
            List<SalesforceWrite> writes = new ArrayList<>();
            Map<String, EngagementEvent> byKey = new HashMap<>();
            Map<String, SalesforceIdentityResolver.Target> targetOf = new HashMap<>();
            for (EngagementEvent e : unique.values()) {
                String why = unwritable(e, resolution);
                if (why != null) {
                    park(flow, e, why.substring(why.indexOf(':') + 1).trim(), why.substring(0, why.indexOf(':')));
                    parked++;
                    parkedIds.add(e.id());
                    continue;
                }
                SalesforceIdentityResolver.Target t = resolution.byEmail().get(e.email());
                String account = t.lead() ? leadAccounts.get(e.emailDomain()) : t.accountId();
                writes.add(new SalesforceWrite(e.id(), ACTIVITY, EVENT_ID, SalesforceActivityRecord.fields(e, t, account)));
                byKey.put(e.id(), e);
                targetOf.put(e.id(), t);
            }
            int[] counts = execute(flow, writes, byKey, targetOf, leadAccounts, parkedIds);
            written = counts[0];
            parked += counts[1];
            recordProfiles(profiles, resolution);
            // a Task follows its activity: none for an event parked here, it comes with the replay
            parked += tasks.write(flow, taskPending.stream().filter(e -> !parkedIds.contains(e.id())).toList(), resolution.byEmail());
        }
        summaries.flush();
        return new WriteOutcome(events.size(), known.size(), written, parked, client.calls() - callsBefore);
    }

    /**
     * An MQL nobody in Salesforce has gets a new Lead (CLOSEDLOOP_UNMATCHED_MQL=create-lead), so the hand-off
     * happens at all. Re-resolving by email next time finds that Lead, so a crash after the create adds no twin.
     */
    private SalesforceIdentityResolver.Resolution withLeadsForMqls(String flow, java.util.Collection<EngagementEvent> events,
                                                                   SalesforceIdentityResolver.Resolution resolution) {
        Map<String, EngagementEvent> mqls = new LinkedHashMap<>();
        for (EngagementEvent e : events) {
            if (e.type() == ActivityType.BECAME_MQL && e.email() != null && resolution.unmatched().contains(e.email())) {
                mqls.putIfAbsent(e.email(), e);
            }
        }
        if (mqls.isEmpty()) {
            return resolution;
        }
        List<SalesforceWrite> creates = new ArrayList<>();
        mqls.forEach((email, e) -> creates.add(SalesforceWrite.create(email, "Lead", newLead(e))));
        Map<String, SalesforceIdentityResolver.Target> byEmail = new LinkedHashMap<>(resolution.byEmail());
        Set<String> unmatched = new LinkedHashSet<>(resolution.unmatched());
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, creates)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                String email = r.write().key();
                if (r.success()) {
                    byEmail.put(email, new SalesforceIdentityResolver.Target("Lead", r.id(), null, null, clock.instant(), Map.of()));
                    unmatched.remove(email);
                    LOG.info("created Lead {} for HubSpot contact {} (an MQL unknown to Salesforce)", r.id(), mqls.get(email).hubspotContactId());
                } else if (r.failure().kind() == ErrorKind.FATAL) {
                    throw new FatalSyncException(r.failure().code(), r.failure().message(), null);
                } else {
                    // the MQL event is then parked as unmatched, with the reason the Lead was refused
                    LOG.warn("could not create a Lead for HubSpot contact {}: {} {}", mqls.get(email).hubspotContactId(),
                            r.failure().code(), r.failure().message());
                }
            }
        }
        return new SalesforceIdentityResolver.Resolution(byEmail, resolution.duplicates(), unmatched, resolution.invalid());
    }

    static Map<String, Object> newLead(EngagementEvent e) {
        Map<String, Object> f = new LinkedHashMap<>();
        String first = e.details().get("first name");
        String last = e.details().get("last name");
        String company = e.details().get("company");
        if (first != null) {
            f.put("FirstName", first.length() <= 40 ? first : first.substring(0, 40));
        }
        // LastName and Company are required on a Lead; the email stands in where HubSpot has none
        String lastName = last != null ? last : e.email().substring(0, e.email().indexOf('@'));
        f.put("LastName", lastName.length() <= 80 ? lastName : lastName.substring(0, 80));
        String companyName = company != null ? company : e.emailDomain();
        f.put("Company", companyName.length() <= 255 ? companyName : companyName.substring(0, 255));
        f.put("Email", e.email());
        return f;
    }

    /** Scores and MQL moments of resolved people go to their profile; their summary fields are queued. */
    private void recordProfiles(List<ContactProfile> profiles, SalesforceIdentityResolver.Resolution resolution) {
        Map<String, SubjectProfiles.Profile> observed = new LinkedHashMap<>();
        Set<SummaryQueue.Pending> dirty = new LinkedHashSet<>();
        for (ContactProfile p : profiles) {
            SalesforceIdentityResolver.Target t = p.email() == null ? null : resolution.byEmail().get(p.email().toLowerCase(java.util.Locale.ROOT));
            if (t == null) {
                // the person's events, if any, are parked with the reason; a profile alone has nothing to replay
                continue;
            }
            SubjectProfiles.Profile profile = new SubjectProfiles.Profile(p.score(), p.scoreAt(), p.mqlAt());
            observed.merge(t.id(), profile, SubjectProfiles.Profile::merge);
            dirty.add(new SummaryQueue.Pending(t.id(), t.sobject()));
        }
        store.profiles().record(observed);
        store.summaryQueue().add(dirty);
    }

    /** Null if the event can be written, else "CODE: reason". */
    private static String unwritable(EngagementEvent e, SalesforceIdentityResolver.Resolution r) {
        if (e.email() == null || r.invalid().contains(e.email()) || !SalesforceIdentityResolver.validEmail(e.email())) {
            return "INVALID_EMAIL: the event has no valid email address, so no Salesforce record can be matched";
        }
        if (r.duplicates().containsKey(e.email())) {
            return "DUPLICATE_EMAIL: several Salesforce records share this email: "
                    + r.duplicates().get(e.email()).stream().map(t -> t.sobject() + " " + t.id()).collect(Collectors.joining(", "));
        }
        if (!r.byEmail().containsKey(e.email())) {
            return "UNMATCHED: no Salesforce Lead or Contact has this email yet";
        }
        return null;
    }

    /** Writes, retries per-record retriable failures, records successes, parks the rest; returns {written, parked}. */
    private int[] execute(String flow, List<SalesforceWrite> writes, Map<String, EngagementEvent> byKey,
                          Map<String, SalesforceIdentityResolver.Target> targetOf, Map<String, String> leadAccounts,
                          Set<String> parkedIds) {
        int written = 0;
        int parked = 0;
        List<SalesforceWrite> pending = writes;
        for (int round = 0; round <= RECORD_RETRIES && !pending.isEmpty(); round++) {
            if (round > 0) {
                sleep(retryBackoff.multipliedBy(round));
            }
            List<SalesforceWrite> retry = new ArrayList<>();
            List<EventLedger.Activity> done = new ArrayList<>();
            List<IdentityMap.Identity> identities = new ArrayList<>();
            Set<String> stale = new LinkedHashSet<>();
            Set<SummaryQueue.Pending> dirty = new LinkedHashSet<>();
            List<SalesforceSlaClockStarter.Mql> mqls = new ArrayList<>();
            for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, pending)) {
                JsonNode response = client.composite(call.body());
                for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, response)) {
                    EngagementEvent e = byKey.get(r.write().key());
                    if (r.success()) {
                        SalesforceIdentityResolver.Target t = targetOf.get(e.id());
                        String account = t.lead() ? leadAccounts.get(e.emailDomain()) : t.accountId();
                        done.add(new EventLedger.Activity(e.id(), flow, r.id(), t.id(), account, e.type().label(),
                                e.assetName(), e.occurredAt()));
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
                        continue;
                    }
                    Classification c = r.failure();
                    if (c.kind() == ErrorKind.FATAL) {
                        throw new FatalSyncException(c.code(), c.message(), null);
                    }
                    if (c.kind() == ErrorKind.RETRIABLE && round < RECORD_RETRIES) {
                        retry.add(r.write());
                    } else {
                        if (STALE_TARGET.contains(c.code())) {
                            stale.add(e.email());
                        }
                        park(flow, e, c.message(), c.code());
                        parked++;
                        parkedIds.add(e.id());
                    }
                }
            }
            // clocks start before the ledger records the moment, so a crash in between starts them on the replay
            if (slaClocks != null && !mqls.isEmpty()) {
                slaClocks.start(mqls);
            }
            // the ledger and the summary queue move together, after Salesforce confirmed the records
            store.ledger().recordActivities(done);
            store.summaryQueue().add(dirty);
            store.identities().putAll(identities);
            resolver.forget(stale);
            written += done.size();
            pending = retry;
        }
        return new int[] {written, parked};
    }

    /** Accounts of unconverted Leads, by their email domain: from Contacts at that domain, then by Website. */
    private Map<String, String> accountsForLeads(SalesforceIdentityResolver.Resolution resolution) {
        Set<String> domains = new LinkedHashSet<>();
        Map<String, String> found = new HashMap<>();
        resolution.byEmail().forEach((email, t) -> {
            String domain = email.substring(email.lastIndexOf('@') + 1);
            if (FREE_MAIL.contains(domain)) {
                return;
            }
            if (t.lead()) {
                domains.add(domain);
            } else if (t.accountId() != null) {
                found.putIfAbsent(domain, t.accountId());
            }
        });
        domains.removeAll(found.keySet());
        Map<String, Optional<String>> cached = store.domainAccounts().find(domains, clock.instant().minus(Duration.ofDays(1)));
        cached.forEach((d, acc) -> acc.ifPresent(a -> found.put(d, a)));
        domains.removeAll(cached.keySet());
        if (!domains.isEmpty()) {
            Map<String, String> byWebsite = accountsByWebsite(domains);
            Map<String, String> remember = new HashMap<>();
            for (String d : domains) {
                remember.put(d, byWebsite.get(d));
                if (byWebsite.get(d) != null) {
                    found.put(d, byWebsite.get(d));
                }
            }
            store.domainAccounts().put(remember);
        }
        return found;
    }

    private Map<String, String> accountsByWebsite(Set<String> domains) {
        List<String> soqls = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        for (String d : domains) {
            String clause = "Website LIKE " + SalesforceSoql.literal("%" + d.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
            if (where.length() > 0 && where.length() + clause.length() > SalesforceSoql.MAX_IN_CLAUSE_CHARS) {
                soqls.add("SELECT Id, Website FROM Account WHERE " + where + " ORDER BY CreatedDate, Id");
                where.setLength(0);
            }
            where.append(where.length() > 0 ? " OR " : "").append(clause);
        }
        if (where.length() > 0) {
            soqls.add("SELECT Id, Website FROM Account WHERE " + where + " ORDER BY CreatedDate, Id");
        }
        Map<String, String> out = new HashMap<>();
        for (List<JsonNode> rows : client.queries(soqls)) {
            for (JsonNode a : rows) {
                String host = hostOf(a.path("Website").asText(""));
                if (host != null && domains.contains(host)) {
                    out.putIfAbsent(host, a.path("Id").asText());
                }
            }
        }
        return out;
    }

    /** "https://www.acme.com/about" -> "acme.com". */
    static String hostOf(String website) {
        String w = website.trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = w.indexOf('/');
        w = slash < 0 ? w : w.substring(0, slash);
        w = w.startsWith("www.") ? w.substring(4) : w;
        return w.isEmpty() ? null : w;
    }

    private void park(String flow, EngagementEvent e, String reason, String code) {
        // row locks and stale identities may well succeed on the next try; the retry route picks these up
        ErrorKind kind = "UNABLE_TO_LOCK_ROW".equals(code) || STALE_TARGET.contains(code) ? ErrorKind.RETRIABLE : ErrorKind.SKIPPABLE;
        store.parked().park(flow, e.id(), EngagementEventCodec.toJson(e), reason, kind, code);
        // one line per batch comes from the checkpoint; per-record detail is for debugging
        LOG.debug("parked event {} of flow {}: {} {}", e.id(), flow, code, reason);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSyncException("INTERRUPTED", "interrupted while backing off", e);
        }
    }

    /** Writes the queued summary fields now; a replay of parked summary writes re-queues them first. */
    public int flushSummaries() {
        return summaries.flush();
    }

    /** Last activity per subject, for callers that show it. */
    public Map<String, Instant> lastActivity(List<String> subjectIds) {
        return store.ledger().lastActivity("subject_id", subjectIds);
    }
}
