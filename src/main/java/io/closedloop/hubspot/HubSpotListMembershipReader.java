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
 * Members come in pages ordered by recordId with an {@code after} cursor (§8.1), so a read holds at most a chunk of
 * them: the cursor keeps the list read part-way and where its next page starts, each chunk is written and committed
 * (with the stored members of its span of ids) before the next, and memory follows the chunk, not the list.
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
    private final int chunk;

    public HubSpotListMembershipReader(HubSpotClient client, ListMemberships memberships, List<String> listIds,
                                       StartFrom startFrom) {
        this(client, memberships, listIds, startFrom, PolledSource.CHUNK);
    }

    /** @param chunk most members one read holds; a longer list is read, written and committed in several chunks */
    public HubSpotListMembershipReader(HubSpotClient client, ListMemberships memberships, List<String> listIds,
                                       StartFrom startFrom, int chunk) {
        this.lists = new HubSpotLists(client);
        this.memberships = memberships;
        this.listIds = List.copyOf(listIds);
        this.startFrom = startFrom;
        this.chunk = chunk;
    }

    @Override
    public FlowId source() {
        return FlowId.HUBSPOT_LIST_MEMBERSHIPS;
    }

    @Override
    public SourceRead read(String cursor, Instant now) {
        Cursor at = Cursor.parse(cursor);
        Set<String> nextBaselined = new TreeSet<>(at.baselined());
        List<Found> found = new ArrayList<>();
        List<ListMemberships.Change> changes = new ArrayList<>();
        // a list read part-way goes on from where its last committed chunk ended; then the lists after it
        int first = at.scan() == null ? 0 : Math.max(0, listIds.indexOf(at.scan().listId()));
        Scan scan = at.scan() != null && listIds.indexOf(at.scan().listId()) >= 0 ? at.scan() : null;
        int room = chunk;
        Scan next = null;
        for (int i = first; i < listIds.size(); i++) {
            String listId = listIds.get(i);
            if (room <= 0) {
                // the chunk is full at a list's end: the next chunk starts the next list
                next = new Scan(listId, null, null);
                break;
            }
            boolean resumed = scan != null && scan.listId().equals(listId) && scan.after() != null;
            HubSpotLists.Page page = lists.page(listId, resumed ? scan.after() : null, room, now);
            if (page == null) {
                LOG.warn("{}: HubSpot list {} does not exist; check HUBSPOT_LIST_IDS", source().key(), listId);
                continue;
            }
            room -= page.members().size();
            String after = resumed ? scan.lastId() : null;
            String through = page.after() == null ? null : last(page.members(), after);
            ListMemberships.Change change = at.baselined().contains(listId)
                    ? diff(listId, page.members(), after, through, now, found)
                    : baseline(listId, page.members(), !resumed, now, found);
            if (change != null) {
                changes.add(change);
            }
            if (page.after() != null) {
                next = new Scan(listId, through, page.after());
                break;
            }
            nextBaselined.add(listId);
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
        String serialized = new Cursor(nextBaselined, next).serialize();
        return SourceRead.of(events, serialized.equals(cursor) ? null : serialized).onCommit(() -> memberships.apply(changes))
                .more(next != null);
    }

    /**
     * A chunk of a list's first read: its members are stored (the first chunk replaces what was stored of the list),
     * only joins since {@code CLOSEDLOOP_START_FROM} are reported.
     */
    private ListMemberships.Change baseline(String listId, Map<String, Instant> current, boolean firstChunk, Instant now,
                                            List<Found> found) {
        Instant since = startFrom.from(now);
        current.forEach((contactId, at) -> {
            if (!at.isBefore(since)) {
                found.add(new Found(listId, contactId, ActivityType.LIST_JOINED, at, at));
            }
        });
        return new ListMemberships.Change(listId, firstChunk, current, Set.of());
    }

    /**
     * Members of the chunk not stored yet joined; stored members in the chunk's span of ids (after {@code after},
     * through {@code through}, null: the list's end) no longer listed left. Null when nothing changed.
     */
    private ListMemberships.Change diff(String listId, Map<String, Instant> current, String after, String through, Instant now,
                                        List<Found> found) {
        Map<String, Instant> stored = memberships.members(listId, after, through);
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

    /** The chunk's last member id in HubSpot's order (ascending recordId), or {@code otherwise} for an empty chunk. */
    private static String last(Map<String, Instant> members, String otherwise) {
        String last = otherwise;
        for (String id : members.keySet()) {
            last = id;
        }
        return last;
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

    /** A list read part-way: the last member id of its last chunk and HubSpot's {@code after} cursor for the next page. */
    record Scan(String listId, String lastId, String after) {
    }

    /**
     * The list ids whose baseline is stored, and the list read part-way if any: {@code 12,345} or
     * {@code 12,345|345|100451|AoJ...} (a chunk of list 345 ended at member 100451; empty parts: from the list's start).
     */
    record Cursor(Set<String> baselined, Scan scan) {
        static Cursor parse(String value) {
            String[] p = value.split("\\|", -1);
            Set<String> out = new TreeSet<>();
            for (String id : p[0].split(",")) {
                if (!id.isBlank()) {
                    out.add(id.trim());
                }
            }
            Scan scan = p.length >= 4 && !p[1].isEmpty() ? new Scan(p[1], emptyToNull(p[2]), emptyToNull(p[3])) : null;
            return new Cursor(out, scan);
        }

        String serialize() {
            String ids = String.join(",", new TreeSet<>(baselined));
            return scan == null ? ids : ids + "|" + scan.listId() + "|" + nullToEmpty(scan.lastId()) + "|" + nullToEmpty(scan.after());
        }

        private static String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }

        private static String nullToEmpty(String s) {
            return s == null ? "" : s;
        }
    }
}
