package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.FieldMapping;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.Note;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.world.World;
import io.closedloop.state.MutableClock;
import io.closedloop.testsupport.Emulators;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seeded 14-day world twice, under one pinned clock: world A gets {@code closedloop backfill --since 14d}, world B
 * the live daemon with {@code CLOSEDLOOP_START_FROM=14d} polled until every source has drained. Every Lead, Contact and
 * Account field (summaries and roll-ups among them), every Marketing Activity by its external id, and every HubSpot contact
 * property Closedloop writes (the dispositions) and note must end up the same, record by record and field by field; then
 * again after the first contact-changes poll of {@code run} in both (scores, existing MQLs).
 */
class BackfillMatchesLiveIT {
    /** The pinned "now" of both runs: the 7-day and 30-day windows of the summaries start at the same instant. */
    private static final Instant NOW = Instant.parse("2026-11-16T09:30:00Z");
    private static final String LIST = "100";
    /** Salesforce fields only the emulator stamps on every write: they record how often, not what, was written. */
    private static final Set<String> STAMPS = Set.of("LastModifiedDate", "SystemModstamp", "LastModifiedById");

    @TempDir
    Path dir;

    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private final java.time.Clock originalClock = BackfillCommand.clock;
    private final MutableClock clock = new MutableClock(NOW.minus(Duration.ofHours(1)));
    private final List<Emulators> open = new ArrayList<>();

    @AfterEach
    void restore() throws Exception {
        ConfigOption.environment = originalEnvironment;
        BackfillCommand.clock = originalClock;
        BackfillCommand.sleeper = d -> Thread.sleep(d.toMillis());
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        for (Emulators e : open) {
            e.close();
        }
    }

    /** One world: both emulators seeded an hour before {@link #NOW}, identically for the same seed. */
    private record Seeded(Emulators emulators, BackfillHistory history, Map<String, String> env) {
    }

    private Seeded seed(String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        clock.set(NOW.minus(Duration.ofHours(1)));
        Emulators emulators = new Emulators(home, clock);
        open.add(emulators);
        BackfillHistory history = new BackfillHistory(emulators, clock, 60, 6);
        World world = history.world;
        var portal = emulators.hubspot.portal();
        List<World.Person> matched = world.people().stream()
                .filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null).limit(60).toList();
        String form = world.forms().get(0).guid();
        long campaign = world.campaigns().get(1).id();
        for (int i = 0; i < 24; i++) {
            World.Person p = matched.get(i);
            // a form a day at a different hour each; the first on the 7-day edge of the summaries, the second on the 14-day edge of the range
            Instant at = i == 0 ? NOW.minus(Duration.ofDays(7)) : i == 1 ? NOW.minus(Duration.ofDays(14))
                    : NOW.minus(Duration.ofDays(i % 14)).minus(Duration.ofHours(1 + i % 5));
            portal.addFormSubmission(form, at.toEpochMilli(), world.forms().get(0).pageUrl(), Map.of("email", p.email()));
            // a click at the very same millisecond: a tie the summaries must order the same way
            portal.addEmailEvent(new EmailEvent("tie-" + i, at.toEpochMilli(), "CLICK", p.email(), campaign,
                    Map.of("url", "https://www.closedloop.example/webinar")));
            // list joins: one person in three, some older than the range (a join at the very instant of the run is the
            // next run's, as the backfill's range ends before --until, so none is put there)
            if (i % 3 == 0) {
                portal.addListMember(LIST, p.hubspotContactId(), NOW.minus(Duration.ofDays(i % 2 == 0 ? i / 2 : 20)).minus(Duration.ofMinutes(20)));
            }
        }
        // one heavy day: a second campaign opened by everyone, so that window (and only it) goes through Bulk
        long second = world.campaigns().get(2).id();
        for (World.Person p : matched) {
            portal.addEmailEvent(new EmailEvent("heavy-" + p.hubspotContactId(), NOW.minus(Duration.ofDays(3)).minus(Duration.ofMinutes(30))
                    .toEpochMilli(), "OPEN", p.email(), second, Map.of()));
        }
        Map<String, String> env = emulators.env();
        env.put("HUBSPOT_LIST_IDS", LIST);
        env.put("SALESFORCE_BULK_THRESHOLD", "100");
        env.put("CLOSEDLOOP_START_FROM", "14d");
        return new Seeded(emulators, history, env);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void backfillWritesTheSameSummariesRollUpsActivitiesAndDispositionsAsTheLiveFlow() throws Exception {
        Seeded a = seed("backfill");
        Seeded b = seed("live");
        assertThat(b.history().world).as("the same seed gives the same world, ids and all").isEqualTo(a.history().world);
        assertThat(b.history().expected).isEqualTo(a.history().expected);
        clock.set(NOW);

        // world A: the command, as a user runs it
        StringWriter err = new StringWriter();
        assertThat(BackfillHistory.execute(new StringWriter(), err, clock, a.env(), "backfill", "--since", "14d")).as(err.toString()).isZero();
        assertThat(a.emulators().salesforce.journal().count("salesforce.bulk.create")).as("the heavy window went through Bulk")
                .isPositive();
        assertThat(a.emulators().salesforce.journal().count("salesforce.composite")).as("the others through Composite").isPositive();

        // world B: the daemon as `run` starts it from CLOSEDLOOP_START_FROM, Flow 2 on its own trigger. HubSpot answers Flow 2's
        // first property check slowly, so the engagement catch-up writes before Flow 2 has read anything: the race a first start
        // runs (a slow answer rather than errors, which would open the circuit until the pinned clock moves)
        Emulators live = b.emulators();
        live.hubspot.faults().script("hubspot.properties.*", Fault.slow(Duration.ofSeconds(12)));
        live.startDaemon(b.env(), Map.of("closedloop.flow.salesforce-dispositions", "true"));
        List<String> engagement = List.of("hubspot-email-events", "hubspot-form-submissions", "hubspot-list-memberships");
        engagement.forEach(live::poll);
        assertThat(dispositionPolls(live)).as("the engagement catch-up ran before Flow 2's first read").isZero();
        // then every source until a round changes nothing, each round with a poll of Flow 2 of its own
        String before = "";
        int rounds = 0;
        while (!before.equals(progress(live)) && rounds++ < 6) {
            before = progress(live);
            long polls = dispositionPolls(live);
            Awaitility.await().atMost(Duration.ofSeconds(45)).until(() -> dispositionPolls(live) > polls);
            engagement.forEach(live::poll);
        }
        assertThat(before).as("the live sources drained").isEqualTo(progress(live));
        assertThat(live.startedStore().summaryQueue().next(10)).as("no summary left queued").isEmpty();

        // the score and the MQL moment come from the contact-changes source, which a backfill does not read: its first poll
        // under `run` catches them up; they are compared after that poll below
        Set<String> contactChangeFields = Set.of(FieldMapping.MARKETING_ENGAGEMENT_SCORE, FieldMapping.MQL_AT);
        List<String> differences = new ArrayList<>();
        compareSalesforce(a.emulators(), b.emulators(), contactChangeFields, differences);
        compareHubSpot(a, b, differences);
        assertThat(differences).as("backfill (A) and live (B) differ:%n%s", String.join("\n", differences)).isEmpty();
        assertNonTrivial(a);

        // day one goes on with `run` in both: its first contact-changes poll brings scores and existing MQLs to both alike
        b.emulators().poll("hubspot-contact-changes");
        b.emulators().stopDaemon();
        a.emulators().startDaemon(a.env(), Map.of());
        a.emulators().poll("hubspot-contact-changes");
        a.emulators().stopDaemon();
        differences.clear();
        compareSalesforce(a.emulators(), b.emulators(), Set.of(), differences);
        compareHubSpot(a, b, differences);
        assertThat(differences).as("after the first contact-changes poll, backfill (A) and live (B) differ:%n%s",
                String.join("\n", differences)).isEmpty();
    }

    /** What was compared is the real thing, not empty against empty. */
    private static void assertNonTrivial(Seeded a) {        var orgA = a.emulators().salesforce.org();
        assertThat(a.history().activityIds(a.emulators())).doesNotHaveDuplicates().containsAll(a.history().expected);
        assertThat(orgA.all("Marketing_Activity__c")).extracting(r -> r.get("Activity_Type__c"))
                .contains("Email Open", "Email Click", "Form Submission", "List Joined");
        assertThat(orgA.all("Lead")).filteredOn(r -> r.get("Marketing_Summary__c") != null && r.get("Marketing_Activity_7d__c") != null)
                .hasSizeGreaterThanOrEqualTo(20);
        assertThat(orgA.all("Contact")).filteredOn(r -> r.get("Last_Marketing_Activity_At__c") != null).hasSizeGreaterThanOrEqualTo(10);
        assertThat(orgA.all("Account")).filteredOn(r -> r.get("Marketing_Activity_30d__c") instanceof Number n && n.intValue() > 0
                && r.get("Marketing_Engaged_People__c") != null).hasSizeGreaterThanOrEqualTo(10);
        assertThat(a.emulators().hubspot.portal().notes()).hasSizeGreaterThanOrEqualTo(a.history().rejected.size());
        a.history().rejected.forEach(p -> assertThat(a.emulators().hubspot.portal().contact(p.hubspotContactId()))
                .containsEntry("sales_disposition", "rejected").containsKey("sales_rejection_reason"));
    }

    /** How many reads Flow 2's dispositions source has committed. */
    private static long dispositionPolls(Emulators e) {
        return e.startedStore().cursors().get("salesforce-dispositions").filter(c -> !c.isEmpty())
                .map(c -> io.closedloop.state.TimeWindowCursor.parse(c).polls()).orElse(0L);
    }

    /** What the live sources have written so far. */
    private static String progress(Emulators e) {
        return e.salesforce.org().count("Marketing_Activity__c") + "/" + e.hubspot.portal().notes().size() + "/"
                + e.hubspot.portal().propertyWrites().size() + "/" + e.writeCalls().size();
    }

    /**
     * Every Lead, Contact and Account, all fields (the summary fields of the mapping included, asserted present), matched by
     * id; every Marketing Activity matched by its external id.
     */
    private static void compareSalesforce(Emulators a, Emulators b, Set<String> notYet, List<String> differences) {
        FieldMapping mapping = FieldMapping.load(FieldMapping.DEFAULT_FILE);
        for (String object : List.of("Lead", "Contact", "Account")) {
            Map<Object, Map<String, Object>> inA = byKey(a.salesforce.org().all(object), "Id");
            Map<Object, Map<String, Object>> inB = byKey(b.salesforce.org().all(object), "Id");
            assertThat(inB.keySet()).as(object + " ids").isEqualTo(inA.keySet());
            // every summary field holds a value somewhere, but those not read yet and the Contacts' MQL moment (the world's
            // existing MQLs are all Leads)
            assertThat(mapping.written(object)).as(object + " summary fields").isNotEmpty()
                    .allSatisfy(f -> assertThat(notYet.contains(f) || (object + "." + f).equals("Contact." + FieldMapping.MQL_AT)
                            || inA.values().stream().anyMatch(r -> r.get(f) != null)).as(object + "." + f + " is written somewhere").isTrue());
            Set<String> ignored = new java.util.HashSet<>(STAMPS);
            ignored.addAll(notYet);
            inA.forEach((id, recordA) -> compare(object + " " + id, recordA, inB.get(id), ignored, differences));
        }
        Map<Object, Map<String, Object>> activitiesA = byKey(a.salesforce.org().all("Marketing_Activity__c"), "Closedloop_Event_Id__c");
        Map<Object, Map<String, Object>> activitiesB = byKey(b.salesforce.org().all("Marketing_Activity__c"), "Closedloop_Event_Id__c");
        Set<Object> onlyA = new TreeSet<>(activitiesA.keySet().stream().map(String::valueOf).toList());
        onlyA.removeAll(activitiesB.keySet());
        Set<Object> onlyB = new TreeSet<>(activitiesB.keySet().stream().map(String::valueOf).toList());
        onlyB.removeAll(activitiesA.keySet());
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            differences.add("Marketing_Activity__c external ids: only in backfill " + onlyA + ", only live " + onlyB);
        }
        // the record's own id and auto-number follow the order of writes, which differs by design
        Set<String> ownIds = new java.util.HashSet<>(STAMPS);
        ownIds.addAll(Set.of("Id", "Name", "CreatedDate", "CreatedById"));
        activitiesA.forEach((key, recordA) -> {
            if (activitiesB.containsKey(key)) {
                compare("Marketing_Activity__c " + key, recordA, activitiesB.get(key), ownIds, differences);
            }
        });
    }

    /** Every property either run wrote to a contact, its notes (bodies and all) and the list memberships. */
    private static void compareHubSpot(Seeded a, Seeded b, List<String> differences) {
        var portalA = a.emulators().hubspot.portal();
        var portalB = b.emulators().hubspot.portal();
        Set<String> contacts = new TreeSet<>();
        Set<String> written = new TreeSet<>();
        for (var w : concat(portalA.propertyWrites(), portalB.propertyWrites())) {
            contacts.add(w.contactId());
            written.addAll(w.properties().keySet());
        }
        assertThat(written).as("properties written").contains("sales_disposition", "sales_rejection_reason");
        for (String id : contacts) {
            Map<String, String> ca = portalA.contact(id);
            Map<String, String> cb = portalB.contact(id);
            for (String property : written) {
                if (!Objects.equals(ca.get(property), cb.get(property))) {
                    differences.add("HubSpot contact " + id + " " + property + ": backfill " + ca.get(property) + ", live " + cb.get(property));
                }
            }
        }
        Map<String, List<String>> notesA = notesByContact(portalA.notes());
        Map<String, List<String>> notesB = notesByContact(portalB.notes());
        new TreeSet<>(concat(notesA.keySet(), notesB.keySet())).forEach(id -> {
            List<String> na = notesA.getOrDefault(id, List.of());
            List<String> nb = notesB.getOrDefault(id, List.of());
            if (na.size() != nb.size()) {
                differences.add("HubSpot contact " + id + " notes: backfill " + na.size() + ", live " + nb.size());
            } else if (!na.equals(nb)) {
                differences.add("HubSpot contact " + id + " note contents: backfill " + na + ", live " + nb);
            }
        });
    }

    private static Map<String, List<String>> notesByContact(List<Note> notes) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Note n : notes) {
            for (String contact : n.contactIds()) {
                out.computeIfAbsent(contact, k -> new ArrayList<>()).add(new TreeMap<>(n.properties()).toString());
            }
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    private static void compare(String record, Map<String, Object> a, Map<String, Object> b, Set<String> ignored, List<String> differences) {
        Set<String> fields = new TreeSet<>(a.keySet());
        fields.addAll(b.keySet());
        fields.removeAll(ignored);
        for (String f : fields) {
            Object va = a.get(f);
            Object vb = b.get(f);
            if (!sameValue(va, vb)) {
                differences.add(record + " " + f + ": backfill " + va + ", live " + vb);
            }
        }
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    private static Map<Object, Map<String, Object>> byKey(List<Map<String, Object>> records, String key) {
        return records.stream().collect(Collectors.toMap(r -> r.get(key), r -> r, (x, y) -> {
            throw new AssertionError("two records with " + key + " " + x.get(key));
        }, java.util.LinkedHashMap::new));
    }

    private static <T> List<T> concat(java.util.Collection<T> a, java.util.Collection<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
