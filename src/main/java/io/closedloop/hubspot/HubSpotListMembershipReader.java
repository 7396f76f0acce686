package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import io.closedloop.core.FlowId;
import io.closedloop.state.ListMemberships;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.PolledSource;
import io.closedloop.core.SourceRead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the members of the watched HubSpot lists (hubspot-api.md §8.1) into joins and leaves: each poll reads
 * every member and compares them with the snapshot stored when the previous batch was written. The first read
 * of a list is a baseline that reports only recent joins. Emails come from contact batch reads (§5.1).
 */
public class HubSpotListMembershipReader implements PolledSource {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotListMembershipReader.class);

    /** A join or leave found in one poll, before its email is known. */
    private record Found(String listId, String contactId, ActivityType type, Instant occurredAt, Instant idTime) {
    }

    private final HubSpotLists lists;
    private final ListMemberships memberships;
    private final List<String> listIds;
    private final StartFrom startFrom;
    private final Map<String, String> listNames = new ConcurrentHashMap<>();

    public HubSpotListMembershipReader(HubSpotClient client, ListMemberships memberships, List<String> listIds,
                                       StartFrom startFrom) {
        this.lists = new HubSpotLists(client);
        this.memberships = memberships;
        this.listIds = List.copyOf(listIds);
        this.startFrom = startFrom;
    }

    @Override
    public FlowId source() {
        return FlowId.HUBSPOT_LIST_MEMBERSHIPS;
    }

    @Override
    public SourceRead read(String cursor, Instant now) {
        Set<String> baselined = parse(cursor);
        Set<String> nextBaselined = new TreeSet<>();
        List<Found> found = new ArrayList<>();
        List<ListMemberships.Change> changes = new ArrayList<>();
        for (String listId : listIds) {
            Map<String, Instant> current = members(listId, now);
            if (current == null) {
                // keep what we know about a list that is gone for now; the other lists go on
                if (baselined.contains(listId)) {
                    nextBaselined.add(listId);
                }
                continue;
            }
            nextBaselined.add(listId);
            ListMemberships.Change change = baselined.contains(listId) ? diff(listId, current, now, found)
                    : baseline(listId, current, now, found);
            if (change != null) {
                changes.add(change);
            }
        }

        Set<String> contactIds = new LinkedHashSet<>();
        found.forEach(f -> contactIds.add(f.contactId()));
        Map<String, String> emails = emails(contactIds);
        List<EngagementEvent> events = new ArrayList<>();
        for (Found f : found) {
            String verb = f.type() == ActivityType.LIST_JOINED ? "joined" : "left";
            String id = EngagementEvent.idOf("list", f.listId(), f.contactId(), verb, Long.toString(f.idTime().toEpochMilli()));
            events.add(new EngagementEvent(id, EngagementEvent.Source.LIST, f.type(), f.occurredAt(), emails.get(f.contactId()),
                    f.contactId(), listName(f.listId()), null, null, Map.of("listId", f.listId())));
        }
        String next = serialize(nextBaselined);
        return SourceRead.of(events, next.equals(serialize(baselined)) ? null : next).onCommit(() -> memberships.apply(changes));
    }

    /** The first read of a list: every member is stored, only joins since {@code CLOSEDLOOP_START_FROM} are reported. */
    private ListMemberships.Change baseline(String listId, Map<String, Instant> current, Instant now, List<Found> found) {
        Instant since = startFrom.from(now);
        current.forEach((contactId, at) -> {
            if (!at.isBefore(since)) {
                found.add(new Found(listId, contactId, ActivityType.LIST_JOINED, at, at));
            }
        });
        return new ListMemberships.Change(listId, true, current, Set.of());
    }

    /** Members not stored yet joined; stored members no longer listed left. Null when nothing changed. */
    private ListMemberships.Change diff(String listId, Map<String, Instant> current, Instant now, List<Found> found) {
        Map<String, Instant> stored = memberships.members(listId);
        Map<String, Instant> joined = new LinkedHashMap<>();
        current.forEach((contactId, at) -> {
            if (!stored.containsKey(contactId)) {
                joined.put(contactId, at);
                found.add(new Found(listId, contactId, ActivityType.LIST_JOINED, at, at));
            }
        });
        Set<String> left = new LinkedHashSet<>();
        stored.forEach((contactId, joinedAt) -> {
            if (!current.containsKey(contactId)) {
                left.add(contactId);
                // the id names the membership that ended, so a re-read before the commit yields the same event
                found.add(new Found(listId, contactId, ActivityType.LIST_LEFT, now, joinedAt));
            }
        });
        return joined.isEmpty() && left.isEmpty() ? null : new ListMemberships.Change(listId, false, joined, left);
    }

    /** Every member of the list with its membership time, or null if the list does not exist. */
    private Map<String, Instant> members(String listId, Instant now) {
        Map<String, Instant> members = lists.members(listId, now);
        if (members == null) {
            LOG.warn("{}: HubSpot list {} does not exist; check HUBSPOT_LIST_IDS", source().key(), listId);
        }
        return members;
    }

    /** Emails by contact id (contact batch reads); contacts HubSpot no longer has (207) are simply absent. */
    private Map<String, String> emails(Set<String> contactIds) {
        Map<String, String> out = lists.emails(contactIds);
        List<String> missing = contactIds.stream().filter(id -> !out.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            // their events still go out, without an email, so the sink parks them rather than losing them
            LOG.info("{}: {} HubSpot contact(s) without an email or not found, e.g. {}", source().key(), missing.size(),
                    missing.subList(0, Math.min(missing.size(), 20)));
        }
        return out;
    }

    /** The list's name for the activity's asset, read once per list (§8.2). */
    private String listName(String listId) {
        String cached = listNames.get(listId);
        if (cached != null) {
            return cached;
        }
        String name = lists.list(listId).name();
        listNames.put(listId, name);
        return name;
    }

    /** The cursor is the set of list ids whose baseline is stored: "12,345". */
    static Set<String> parse(String cursor) {
        Set<String> out = new TreeSet<>();
        for (String id : cursor.split(",")) {
            if (!id.isBlank()) {
                out.add(id.trim());
            }
        }
        return out;
    }

    static String serialize(Set<String> listIds) {
        return String.join(",", new TreeSet<>(listIds));
    }
}
