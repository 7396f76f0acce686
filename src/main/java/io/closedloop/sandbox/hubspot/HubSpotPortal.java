package io.closedloop.sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated HubSpot account: contacts, email events and campaigns, forms, lists, notes and property
 * definitions. Direct calls here are the "world" and test assertions: not journaled, not rate limited.
 */
public final class HubSpotPortal {
    /** Events sort newest first (§2.1); the id breaks ties so equal timestamps keep a stable order. */
    record EventKey(long created, String id) implements Comparable<EventKey> {
        @Override
        public int compareTo(EventKey o) {
            int c = Long.compare(o.created, created);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    record Campaign(long id, String name, String subject, long contentId, Map<String, AtomicLong> counters) {
    }

    record Form(String guid, String name, Instant createdAt) {
    }

    record Submission(String conversionId, long submittedAt, long seq, String pageUrl, Map<String, String> values) {
    }

    /** Submissions sort newest first (§3.2), then by arrival. */
    record SubmissionKey(long submittedAt, long seq) implements Comparable<SubmissionKey> {
        @Override
        public int compareTo(SubmissionKey o) {
            int c = Long.compare(o.submittedAt, submittedAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    static final class ContactList {
        final String listId;
        final String name;
        final TreeMap<Long, Instant> members = new TreeMap<>();
        final Map<Long, Instant> firstAdded = new HashMap<>();
        final Instant createdAt;
        Instant updatedAt;
        int version = 1;

        ContactList(String listId, String name, Instant createdAt) {
            this.listId = listId;
            this.name = name;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private record Pending(long visibleAt, HubSpotContact contact) {
    }

    private final Clock clock;
    private final Random random;
    private final long portalId;

    private final Object contactLock = new Object();
    private final TreeMap<Long, HubSpotContact> contacts = new TreeMap<>();
    private final Map<String, Long> contactsByEmail = new HashMap<>();
    private final TreeMap<Long, HubSpotContact> searchIndex = new TreeMap<>();
    private final Deque<Pending> pendingIndex = new ArrayDeque<>();
    private long nextContactId = 100_001;
    private volatile Duration indexingDelay = Duration.ZERO;

    private final ConcurrentSkipListMap<EventKey, EmailEvent> events = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<Long, EmailEvent>> sentByMessage = new ConcurrentHashMap<>();
    private final Map<Long, Campaign> campaigns = new ConcurrentHashMap<>();

    private final Map<String, Form> forms = new LinkedHashMap<>();
    private final Map<String, ConcurrentSkipListMap<SubmissionKey, Submission>> submissions = new ConcurrentHashMap<>();
    private final AtomicLong submissionSeq = new AtomicLong();

    private final Map<String, ContactList> lists = new ConcurrentHashMap<>();
    private final List<Note> notes = new CopyOnWriteArrayList<>();
    private final AtomicLong nextNoteId = new AtomicLong(51_238_845_001L);
    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    private final AtomicLong nextTaskId = new AtomicLong(77_412_300_001L);

    private final Map<String, Map<String, Object>> propertyDefinitions;
    private final Map<String, Map<String, Object>> propertyGroups;

    HubSpotPortal(Clock clock, long seed, long portalId) {
        this.clock = clock;
        this.random = new Random(seed);
        this.portalId = portalId;
        Instant epoch = Instant.parse("2020-01-01T00:00:00Z");
        this.propertyDefinitions = HubSpotContactProperties.standard(epoch);
        this.propertyGroups = HubSpotContactProperties.groups(epoch);
    }

    long portalId() {
        return portalId;
    }

    Clock clock() {
        return clock;
    }

    void indexingDelay(Duration delay) {
        this.indexingDelay = delay;
    }

    /** A UUID from the seeded source, so guids and conversion ids repeat run to run. */
    String uuid() {
        synchronized (random) {
            return new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                    (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
        }
    }

    // ---- contacts

    public String createContact(Map<String, String> properties) {
        synchronized (contactLock) {
            return Long.toString(insertContact(properties).id());
        }
    }

    public void updateContact(String contactId, Map<String, String> properties) {
        synchronized (contactLock) {
            Long id = parseId(contactId);
            if (id == null || !contacts.containsKey(id)) {
                throw new IllegalArgumentException("no contact " + contactId);
            }
            applyUpdate(id, properties);
        }
    }

    /** One contact update a client sent through the batch update API, and which client (its token's end) sent it. */
    public record PropertyWrite(String contactId, Map<String, String> properties, String caller, Instant at) {
    }

    private final java.util.List<PropertyWrite> propertyWrites = new java.util.concurrent.CopyOnWriteArrayList<>();

    void logUpdate(long id, Map<String, String> changes, String caller) {
        propertyWrites.add(new PropertyWrite(Long.toString(id), Map.copyOf(new java.util.HashMap<>(changes)), caller, clock.instant()));
    }

    /** Every contact update clients sent through the API, in order. */
    public java.util.List<PropertyWrite> propertyWrites() {
        return java.util.List.copyOf(propertyWrites);
    }

    public Map<String, String> contact(String contactId) {
        synchronized (contactLock) {
            Long id = parseId(contactId);
            HubSpotContact c = id == null ? null : contacts.get(id);
            return c == null ? null : new LinkedHashMap<>(c.properties());
        }
    }

    public List<Map<String, String>> contacts() {
        synchronized (contactLock) {
            List<Map<String, String>> out = new ArrayList<>(contacts.size());
            contacts.values().forEach(c -> out.add(new LinkedHashMap<>(c.properties())));
            return out;
        }
    }

    HubSpotContact contactById(long id) {
        synchronized (contactLock) {
            return contacts.get(id);
        }
    }

    HubSpotContact contactByEmail(String email) {
        synchronized (contactLock) {
            Long id = email == null ? null : contactsByEmail.get(email.toLowerCase(Locale.ROOT));
            return id == null ? null : contacts.get(id);
        }
    }

    /** Applies property changes (an empty string clears a value) and returns the new version. */
    HubSpotContact applyUpdate(long id, Map<String, String> changes) {
        synchronized (contactLock) {
            HubSpotContact old = contacts.get(id);
            Map<String, String> props = new TreeMap<>(old.properties());
            changes.forEach((k, v) -> {
                if (v == null || v.isEmpty()) {
                    props.remove(k);
                } else {
                    props.put(k, v);
                }
            });
            Instant now = clock.instant();
            // lastmodifieddate never goes backwards even if the simulated clock is set back
            Instant updated = now.isAfter(old.updatedAt()) ? now : old.updatedAt().plusMillis(1);
            props.put("lastmodifieddate", HubSpotJson.iso(updated));
            props.put("hs_object_id", Long.toString(id));
            props.put("createdate", old.get("createdate"));
            stampStageEntered(props, old.get("lifecyclestage"), changes, updated);
            deriveEmailDomain(props);
            HubSpotContact next = new HubSpotContact(id, props, old.createdAt(), updated);
            String oldEmail = old.get("email");
            if (oldEmail != null) {
                contactsByEmail.remove(oldEmail.toLowerCase(Locale.ROOT));
            }
            store(next);
            return next;
        }
    }

    private HubSpotContact insertContact(Map<String, String> properties) {
        long id = nextContactId++;
        Instant now = clock.instant();
        Map<String, String> props = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                props.put(k, v);
            }
        });
        props.put("hs_object_id", Long.toString(id));
        props.putIfAbsent("createdate", HubSpotJson.iso(now));
        props.put("lastmodifieddate", HubSpotJson.iso(now));
        deriveEmailDomain(props);
        Instant created = Instant.ofEpochMilli(HubSpotJson.parseTime(props.get("createdate"), true) == null ? now.toEpochMilli()
                : HubSpotJson.parseTime(props.get("createdate"), true));
        props.put("createdate", HubSpotJson.iso(created));
        stampStageEntered(props, null, properties, now);
        HubSpotContact c = new HubSpotContact(id, props, created, now);
        store(c);
        return c;
    }

    /** Entering a default lifecycle stage stamps its "Became a ... Date", unless the caller set that date itself. */
    private static void stampStageEntered(Map<String, String> props, String oldStage, Map<String, String> changes, Instant at) {
        String stage = props.get("lifecyclestage");
        if (stage == null || stage.equals(oldStage) || !HubSpotContactProperties.LIFECYCLE_STAGES.contains(stage)) {
            return;
        }
        String dateProperty = HubSpotContactProperties.stageDate(stage);
        String given = changes.get(dateProperty);
        if (given == null || given.isEmpty()) {
            props.put(dateProperty, HubSpotJson.iso(at));
        }
    }

    private static void deriveEmailDomain(Map<String, String> props) {
        String email = props.get("email");
        int at = email == null ? -1 : email.lastIndexOf('@');
        if (at >= 0) {
            props.put("hs_email_domain", email.substring(at + 1).toLowerCase(Locale.ROOT));
        } else {
            props.remove("hs_email_domain");
        }
    }

    private void store(HubSpotContact c) {
        contacts.put(c.id(), c);
        String email = c.get("email");
        if (email != null) {
            contactsByEmail.put(email.toLowerCase(Locale.ROOT), c.id());
        }
        long delay = indexingDelay.toMillis();
        if (delay <= 0 && pendingIndex.isEmpty()) {
            searchIndex.put(c.id(), c);
        } else {
            pendingIndex.add(new Pending(clock.millis() + Math.max(0, delay), c));
        }
    }

    /** The contacts search can see now: writes become visible once the indexing delay has passed. */
    List<HubSpotContact> searchable() {
        synchronized (contactLock) {
            long now = clock.millis();
            while (!pendingIndex.isEmpty() && pendingIndex.peek().visibleAt() <= now) {
                HubSpotContact c = pendingIndex.poll().contact();
                searchIndex.put(c.id(), c);
            }
            return new ArrayList<>(searchIndex.values());
        }
    }

    static Long parseId(String id) {
        try {
            return id == null ? null : Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- email

    public void addEmailCampaign(long campaignId, String name, String subject) {
        campaigns.compute(campaignId, (id, old) -> new Campaign(id, name, subject, 16_000_000_000L + id,
                old == null ? new ConcurrentHashMap<>() : old.counters()));
    }

    public void addEmailEvent(EmailEvent event) {
        events.put(new EventKey(event.created(), event.id()), event);
        if ("SENT".equals(event.type())) {
            sentByMessage.computeIfAbsent(messageKey(event), k -> new ConcurrentSkipListMap<>()).put(event.created(), event);
        }
        Campaign c = campaigns.computeIfAbsent(event.emailCampaignId(), id -> new Campaign(id, "Email " + id, "", 16_000_000_000L + id,
                new ConcurrentHashMap<>()));
        c.counters().computeIfAbsent(event.type().toLowerCase(Locale.ROOT), k -> new AtomicLong()).incrementAndGet();
    }

    public long emailEventCount() {
        return events.size();
    }

    ConcurrentSkipListMap<EventKey, EmailEvent> events() {
        return events;
    }

    /** The SENT event a later event of the same message refers to as sentBy, if the world recorded one. */
    EmailEvent sentEventFor(EmailEvent event) {
        ConcurrentSkipListMap<Long, EmailEvent> sent = sentByMessage.get(messageKey(event));
        Map.Entry<Long, EmailEvent> e = sent == null ? null : sent.floorEntry(event.created());
        return e == null ? null : e.getValue();
    }

    private static String messageKey(EmailEvent e) {
        return e.emailCampaignId() + "|" + (e.recipient() == null ? "" : e.recipient().toLowerCase(Locale.ROOT));
    }

    Campaign campaign(long id) {
        return campaigns.get(id);
    }

    // ---- forms

    public String addForm(String name) {
        String guid = uuid();
        synchronized (forms) {
            forms.put(guid, new Form(guid, name, clock.instant()));
        }
        submissions.put(guid, new ConcurrentSkipListMap<>());
        return guid;
    }

    /** A submission, which like HubSpot's creates or updates the contact of its email and stamps its recent conversion (§4.1). */
    public void addFormSubmission(String formGuid, long submittedAt, String pageUrl, Map<String, String> values) {
        ConcurrentSkipListMap<SubmissionKey, Submission> subs = submissions.get(formGuid);
        if (subs == null) {
            throw new IllegalArgumentException("no form " + formGuid);
        }
        long seq = submissionSeq.incrementAndGet();
        subs.put(new SubmissionKey(submittedAt, seq), new Submission(uuid(), submittedAt, seq, pageUrl, new LinkedHashMap<>(values)));
        String email = values.get("email");
        if (email != null && !email.isBlank()) {
            convert(email, forms().stream().filter(f -> f.guid().equals(formGuid)).findFirst().orElseThrow().name(), submittedAt);
        }
    }

    private void convert(String email, String formName, long at) {
        synchronized (contactLock) {
            HubSpotContact c = contactByEmail(email);
            Long latest = c == null ? null : HubSpotJson.parseTime(c.get("recent_conversion_date"), true);
            if (latest != null && latest > at) {
                return;
            }
            Map<String, String> conversion = Map.of("recent_conversion_event_name", formName,
                    "recent_conversion_date", HubSpotJson.iso(at));
            if (c == null) {
                Map<String, String> props = new LinkedHashMap<>(conversion);
                props.put("email", email);
                insertContact(props);
            } else {
                applyUpdate(c.id(), conversion);
            }
        }
    }

    List<Form> forms() {
        synchronized (forms) {
            return new ArrayList<>(forms.values());
        }
    }

    NavigableMap<SubmissionKey, Submission> submissions(String formGuid) {
        return submissions.get(formGuid);
    }

    // ---- lists

    public void addList(String listId, String name) {
        lists.putIfAbsent(listId, new ContactList(listId, name, clock.instant()));
    }

    public void addListMember(String listId, String contactId, Instant addedAt) {
        ContactList list = list(listId);
        long id = Long.parseLong(contactId);
        synchronized (list) {
            if (list.members.put(id, addedAt) == null) {
                list.version++;
                list.updatedAt = clock.instant();
            }
            list.firstAdded.putIfAbsent(id, addedAt);
        }
    }

    public void removeListMember(String listId, String contactId) {
        ContactList list = list(listId);
        synchronized (list) {
            if (list.members.remove(Long.parseLong(contactId)) != null) {
                list.version++;
                list.updatedAt = clock.instant();
            }
        }
    }

    /** The contact ids on a list now. */
    public java.util.Set<String> listMembers(String listId) {
        ContactList list = list(listId);
        synchronized (list) {
            java.util.Set<String> out = new java.util.TreeSet<>();
            list.members.keySet().forEach(id -> out.add(Long.toString(id)));
            return out;
        }
    }

    private ContactList list(String listId) {
        ContactList list = lists.get(listId);
        if (list == null) {
            throw new IllegalArgumentException("no list " + listId);
        }
        return list;
    }

    ContactList findList(String listId) {
        return lists.get(listId);
    }

    List<ContactList> allLists() {
        List<ContactList> out = new ArrayList<>(lists.values());
        out.sort(Comparator.comparing(l -> l.listId));
        return out;
    }

    // ---- notes

    public List<Note> notes() {
        return List.copyOf(notes);
    }

    String nextNoteId() {
        return Long.toString(nextNoteId.getAndIncrement());
    }

    void addNote(Note note) {
        notes.add(note);
    }

    // ---- tasks

    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    String nextTaskId() {
        return Long.toString(nextTaskId.getAndIncrement());
    }

    void addTask(Task task) {
        tasks.add(task);
    }

    // ---- property definitions

    public Map<String, Map<String, Object>> properties() {
        synchronized (propertyDefinitions) {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            propertyDefinitions.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
            return out;
        }
    }

    Map<String, Object> property(String name) {
        synchronized (propertyDefinitions) {
            Map<String, Object> p = propertyDefinitions.get(name);
            return p == null ? null : new LinkedHashMap<>(p);
        }
    }

    /** Adds a definition; false when the name is taken. */
    boolean addProperty(Map<String, Object> definition) {
        synchronized (propertyDefinitions) {
            return propertyDefinitions.putIfAbsent((String) definition.get("name"), definition) == null;
        }
    }

    /** Replaces an existing definition (a PATCH); false when there is none. */
    boolean replaceProperty(Map<String, Object> definition) {
        synchronized (propertyDefinitions) {
            return propertyDefinitions.replace((String) definition.get("name"), definition) != null;
        }
    }

    List<Map<String, Object>> propertyGroups() {
        synchronized (propertyGroups) {
            return new ArrayList<>(propertyGroups.values());
        }
    }

    boolean addPropertyGroup(Map<String, Object> group) {
        synchronized (propertyGroups) {
            return propertyGroups.putIfAbsent((String) group.get("name"), group) == null;
        }
    }
}
