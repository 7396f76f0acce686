package io.closedloop.flow.campaigns;

import io.closedloop.core.Classification;
import io.closedloop.flow.engagement.SalesforceUnmatchedBackoff;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.salesforce.SalesforceCampaigns;
import io.closedloop.salesforce.SalesforceCampaigns.MemberRecord;
import io.closedloop.salesforce.SalesforceErrorClassifier;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceIdentityResolver.Resolution;
import io.closedloop.salesforce.SalesforceIdentityResolver.Target;
import io.closedloop.salesforce.SalesforceWriteResult;
import io.closedloop.state.CampaignMembers.Member;
import io.closedloop.state.EventLedger;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import io.closedloop.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One campaign's members (a list's, or an email's recipients) into its Campaign: new members are matched to a Lead or Contact by the same identity resolution
 * as Flow 1 (unmatched ones are parked with the reason and tried again with the unmatched retry's backoff), every
 * member's status follows the engagement the ledger holds for them since they joined, and all changes go out as
 * CampaignMember upserts in Collections. The store records a member only once Salesforce confirmed it, so a crash
 * re-sends the same keyed upserts, which find the same records.
 */
public class CampaignMemberSync {
    /** What one list's sync did. */
    public record Outcome(int read, int written, int left, int parked) {
        static final Outcome NONE = new Outcome(0, 0, 0, 0);

        Outcome plus(Outcome o) {
            return new Outcome(read + o.read, written + o.written, left + o.left, parked + o.parked);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The status of a member recorded before its write was confirmed. */
    static final String PENDING = "(pending)";

    private final SalesforceIdentityResolver resolver;
    private final SalesforceCampaigns campaigns;
    private final StateStore store;
    private final SalesforceUnmatchedBackoff backoff;
    private final boolean removeLeavers;

    /** @param removeLeavers delete the CampaignMember of someone who left the list, rather than give it the status Left List */
    public CampaignMemberSync(SalesforceIdentityResolver resolver, SalesforceCampaigns campaigns, StateStore store,
                              SalesforceUnmatchedBackoff backoff, boolean removeLeavers) {
        this.removeLeavers = removeLeavers;
        this.resolver = resolver;
        this.campaigns = campaigns;
        this.store = store;
        this.backoff = backoff;
    }

    /** The parked-record key of a member waiting for its Lead or Contact; an email stands there only as a digest. */
    static String parkedKey(String campaignKey, String personKey) {
        return campaignKey + ":" + (personKey.contains("@") ? CampaignSync.fingerprint(personKey).substring(0, 24) : personKey);
    }

    /** The CampaignMember's external id: campaign key plus the Lead or Contact id. */
    static String memberKey(String campaignKey, String personId) {
        return campaignKey + ":" + personId;
    }

    /**
     * Syncs one campaign: {@code current} is every member now (person key to when they joined), {@code emailsOf} finds
     * the emails of person keys, and {@code emailName} is the marketing email whose opens and clicks count (null: any).
     */
    public Outcome sync(String campaignKey, String campaignId, Map<String, Instant> current, Instant now,
                        Function<Set<String>, Map<String, String>> emailsOf, String emailName) {
        return sync(campaignKey, campaignId, current, now, emailsOf, emailName, false);
    }

    /**
     * Sends parked members of one campaign through the same write path now, whatever their wait ({@code replay}):
     * {@code parkedMembers} is person key to when they joined. A member the store holds as written is left for the
     * next poll of its campaign, which knows whether it is still in the list; the others are resolved and written
     * (their parked records resolved) or parked again with the new reason.
     */
    public Outcome replay(String campaignKey, String campaignId, Map<String, Instant> parkedMembers, Instant now,
                          Function<Set<String>, Map<String, String>> emailsOf, String emailName) {
        Map<String, Member> stored = store.campaignMembers().members(campaignKey);
        Map<String, Instant> current = new LinkedHashMap<>();
        parkedMembers.forEach((key, joined) -> {
            Member m = stored.get(key);
            if (m == null || PENDING.equals(m.status())) {
                current.put(key, m == null ? joined : m.joinedAt());
            }
        });
        return current.isEmpty() ? Outcome.NONE : sync(campaignKey, campaignId, current, now, emailsOf, emailName, true);
    }

    /** With {@code only}, {@code current} holds just the members to send now: no one else is taken for a leaver. */
    private Outcome sync(String campaignKey, String campaignId, Map<String, Instant> current, Instant now,
                         Function<Set<String>, Map<String, String>> emailsOf, String emailName, boolean only) {
        Map<String, Member> stored = new LinkedHashMap<>(store.campaignMembers().members(campaignKey));
        if (only) {
            stored.keySet().retainAll(current.keySet());
        }
        Map<String, ParkedRecord> parked = new HashMap<>();
        store.parked().list(ParkedRecords.Filter.parkedIn(CampaignSync.FLOW), Integer.MAX_VALUE).stream()
                .filter(r -> r.recordKey().startsWith(campaignKey + ":")).forEach(r -> parked.put(r.recordKey(), r));

        // new members whose wait (if they were parked) is over
        Set<String> due = new LinkedHashSet<>();
        current.keySet().stream().filter(id -> !stored.containsKey(id)).forEach(id -> {
            ParkedRecord p = parked.get(parkedKey(campaignKey, id));
            if (p == null || only || !p.nextAttempt().isAfter(now)) {
                due.add(id);
            }
        });
        Map<String, String> emails = due.isEmpty() ? Map.of() : emailsOf.apply(due);
        Set<String> wanted = new LinkedHashSet<>();
        emails.values().forEach(e -> wanted.add(e.trim().toLowerCase(Locale.ROOT)));
        Resolution resolution = wanted.isEmpty() ? new Resolution(Map.of(), Map.of(), Set.of(), Set.of())
                : resolver.resolve(wanted, List.of());

        List<ParkedRecords.Parking> toPark = new ArrayList<>();
        Map<String, Member> candidates = new LinkedHashMap<>();
        for (String contactId : due) {
            String email = emails.get(contactId) == null ? null : emails.get(contactId).trim().toLowerCase(Locale.ROOT);
            String why = resolution.unresolved(email);
            if (why != null) {
                String code = why.substring(0, why.indexOf(':'));
                toPark.add(new ParkedRecords.Parking(CampaignSync.FLOW, parkedKey(campaignKey, contactId),
                        payload(campaignKey, contactId, emails.get(contactId), current.get(contactId)),
                        why.substring(why.indexOf(':') + 1).trim(), SalesforceErrorClassifier.parkedKind(code), code));
                continue;
            }
            Target t = resolution.byEmail().get(email);
            candidates.put(contactId, new Member(campaignKey, contactId, t.id(), null, null, current.get(contactId), true));
        }
        stored.forEach((id, m) -> candidates.put(id, new Member(campaignKey, id, m.sfPersonId(), m.sfMemberId(), m.status(),
                current.getOrDefault(id, m.joinedAt()), current.containsKey(id))));

        Map<String, List<String>> engagement = engagement(candidates.values(), emailName);
        List<MemberRecord> writes = new ArrayList<>();
        List<Member> removals = new ArrayList<>();
        Map<String, Member> next = new HashMap<>();
        List<Member> pending = new ArrayList<>();
        for (Member m : candidates.values()) {
            Member stored0 = stored.get(m.personKey());
            // a member recorded as pending may be in Salesforce already (a crash after the write): it is written in full again
            Member before = stored0 == null || PENDING.equals(stored0.status()) ? null : stored0;
            if (before != null && !before.inList() && !m.inList()) {
                continue;
            }
            if (removeLeavers && before != null && !m.inList()) {
                removals.add(before);
                continue;
            }
            String status = CampaignMemberStatusRule.next(before == null || !before.inList() ? null : before.status(),
                    engagement.getOrDefault(m.sfPersonId() + "|" + m.joinedAt(), List.of()), m.inList());
            if (before != null && before.inList() == m.inList() && status.equals(before.status())) {
                continue;
            }
            String key = memberKey(campaignKey, m.sfPersonId());
            // a Lead's id starts with its key prefix 00Q, a Contact's with 003
            writes.add(new MemberRecord(key, before == null ? campaignId : null, m.sfPersonId(), m.sfPersonId().startsWith("00Q"), status,
                    before == null));
            next.put(key, new Member(campaignKey, m.personKey(), m.sfPersonId(), m.sfMemberId(), status, m.joinedAt(), m.inList()));
            if (stored0 == null) {
                pending.add(new Member(campaignKey, m.personKey(), m.sfPersonId(), "", PENDING, m.joinedAt(), true));
            }
        }
        // recorded before the write, so that a member Salesforce has but the store never confirmed is not forgotten if it leaves
        store.campaignMembers().putMembers(pending);
        List<MemberRecord> withCampaign = writes;
        List<SalesforceWriteResult> results = campaigns.upsertMembers(withCampaign);

        List<Member> written = new ArrayList<>();
        int left = 0;
        for (SalesforceWriteResult r : results) {
            Member m = next.get(r.write().key());
            if (r.success()) {
                written.add(m.withWritten(r.id()));
                left += m.inList() ? 0 : 1;
            } else {
                toPark.add(parking(campaignKey, m.personKey(), emails.get(m.personKey()), m.joinedAt(), r.failure()));
            }
        }
        List<Member> removed = new ArrayList<>();
        if (!removals.isEmpty()) {
            Map<String, Classification> refused = campaigns.deleteMembers(removals.stream().map(Member::sfMemberId).toList());
            for (Member m : removals) {
                Classification failure = refused.get(m.sfMemberId());
                if (failure == null) {
                    removed.add(m);
                } else {
                    toPark.add(parking(campaignKey, m.personKey(), null, m.joinedAt(), failure));
                }
            }
        }
        record(campaignKey, written, removed, toPark, parked, now);
        return new Outcome(current.size(), written.size() - left, left + removed.size(), toPark.size());
    }

    /** A member Salesforce refused, parked under the flow with Salesforce's code and message. */
    private static ParkedRecords.Parking parking(String campaignKey, String contactId, String email, Instant joined,
                                                 Classification failure) {
        return new ParkedRecords.Parking(CampaignSync.FLOW, parkedKey(campaignKey, contactId), payload(campaignKey, contactId, email, joined),
                failure.message(), SalesforceErrorClassifier.parkedKind(failure.code()), failure.code());
    }

    /** What a parked member needs to be tried again: its campaign, its person key and, when known, its email and join time. */
    private static String payload(String campaignKey, String personKey, String email, Instant joined) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("campaignKey", campaignKey);
        p.put("personKey", personKey);
        if (email != null) {
            p.put("email", email);
        }
        if (joined != null) {
            p.put("joinedAt", joined.toString());
        }
        try {
            return JSON.writeValueAsString(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Activity labels per person and join time, from the ledger (what Flow 1 wrote), since each member joined. */
    private Map<String, List<String>> engagement(java.util.Collection<Member> members, String emailName) {
        Map<String, List<Member>> bySubject = new HashMap<>();
        Instant since = Instant.MAX;
        for (Member m : members) {
            if (m.inList()) {
                bySubject.computeIfAbsent(m.sfPersonId(), k -> new ArrayList<>()).add(m);
                since = m.joinedAt().isBefore(since) ? m.joinedAt() : since;
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        if (bySubject.isEmpty()) {
            return out;
        }
        for (EventLedger.Activity a : store.ledger().activitiesOfSubjects(bySubject.keySet(), since)) {
            for (Member m : bySubject.getOrDefault(a.subjectId(), List.of())) {
                boolean otherEmail = emailName != null && a.activityType().startsWith("Email ") && !emailName.equals(a.assetName());
                if (!a.occurredAt().isBefore(m.joinedAt()) && !otherEmail) {
                    out.computeIfAbsent(m.sfPersonId() + "|" + m.joinedAt(), k -> new ArrayList<>()).add(a.activityType());
                }
            }
        }
        return out;
    }

    /** One transaction: written members, their parked waits resolved, new waits parked and scheduled with the backoff. */
    private void record(String campaignKey, List<Member> written, List<Member> removed, List<ParkedRecords.Parking> toPark,
                        Map<String, ParkedRecord> parked, Instant now) {
        List<Long> resolved = written.stream().map(m -> parked.get(parkedKey(campaignKey, m.personKey()))).filter(p -> p != null)
                .map(ParkedRecord::id).toList();
        store.inTransaction(() -> {
            store.campaignMembers().putMembers(written);
            store.campaignMembers().removeMembers(removed);
            store.parked().markResolved(resolved);
            store.parked().parkAll(toPark);
        });
        if (toPark.isEmpty()) {
            return;
        }
        // the next attempt waits as the unmatched retry's would: the interval, doubling per attempt up to the maximum
        Set<String> keys = new java.util.HashSet<>();
        toPark.forEach(p -> keys.add(p.recordKey()));
        List<ParkedRecords.Retry> retries = store.parked().list(ParkedRecords.Filter.parkedIn(CampaignSync.FLOW), Integer.MAX_VALUE).stream()
                .filter(r -> keys.contains(r.recordKey()))
                .map(r -> new ParkedRecords.Retry(r.id(), backoff.next(now, r.attempts()), r.lastSeen())).toList();
        store.parked().scheduleRetries(retries);
    }
}
