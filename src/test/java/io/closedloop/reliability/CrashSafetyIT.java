package io.closedloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.LatencyModel;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.core.EngagementEvent;
import io.closedloop.testsupport.TestSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the real daemon ({@code java -jar target/closedloop.jar run}) is killed with SIGKILL many times
 * in the middle of its HubSpot reads and Salesforce writes while engagement keeps arriving, restarted on the same
 * H2 state store each time, then left to finish. Afterwards every written event of a person Salesforce knows is
 * there exactly once, every event of an unknown person is parked, and each key-moment Task exists once.
 * The checks are a list of {@link Invariant}s, so other flows add theirs next to Flow 1's.
 */
class CrashSafetyIT {
    private static final long SEED = Long.getLong("crash.seed", 20_240_601L);
    private static final int KILLS = Integer.getInteger("crash.kills", 24);
    private static final int COMPANIES = 40;
    private static final int PEOPLE = 260;
    private static final int BACKLOG_EMAILS = 4_000;
    private static final int BACKLOG_FORMS = 160;
    private static final String MQL = "marketingqualifiedlead";
    private static final Set<String> WRITTEN_EMAIL_TYPES = Set.of("OPEN", "CLICK", "BOUNCE", "SPAMREPORT", "STATUSCHANGE");
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    enum Match { LEAD, CONTACT, UNKNOWN }

    record Person(String email, String hubspotId, Match match) {
        boolean known() {
            return match != Match.UNKNOWN;
        }
    }

    /** An engagement event the test created, with the id the daemon derives from it. */
    record Expected(String eventId, String flow, Person person, boolean keyMoment) {
    }

    /** A Lead sales rejected during the run. */
    record Rejection(Person person, String reason, String detail) {
    }

    /** One property of the end state; {@link #check} returns one line per violation. */
    record Invariant(String name, Function<EndState, List<String>> check) {
    }

    /** What the invariants look at once the daemon has stopped for good. */
    record EndState(SalesforceOrg org, StateStore store, List<Expected> expected, World world, HubSpotEmulator hubspot) {
    }

    @Test
    void killedAtRandomPointsTheDaemonStillWritesEveryEventExactlyOnce() throws Exception {
        killedAtRandomPoints(Duration.ZERO, KILLS, null);
    }

    /** The same on PostgreSQL, where replicas run: one daemon, so it leads each time it starts (fewer kills, same checks). */
    @Test
    void onPostgreSqlNothingIsLostOrRepeatedEither() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.closedloop.testsupport.EmbeddedPostgresSupport.start()) {
            killedAtRandomPoints(Duration.ZERO, Math.max(4, KILLS / 3), postgres.getJdbcUrl("postgres", "postgres"));
        }
    }

    /**
     * HubSpot's clock 30 s behind the daemon's: events are stamped earlier than the daemon's now, the case a window
     * end taken from the daemon's clock alone would miss (the daemon measures the offset from HubSpot's Date header).
     */
    @Test
    void withHubSpotsClockThirtySecondsBehindNothingIsLostEither() throws Exception {
        killedAtRandomPoints(Duration.ofSeconds(-30), KILLS, null);
    }

    /** @param postgresUrl the state store on PostgreSQL (user postgres), or null for an H2 file */
    private void killedAtRandomPoints(Duration hubspotSkew, int kills, String postgresUrl) throws Exception {
        Clock clock = Clock.systemUTC();
        // the world's engagement is stamped by HubSpot's clock
        Clock hubspotClock = Clock.offset(clock, hubspotSkew);
        Instant began = Instant.now();
        // the limits are raised so that a 300ms poll interval meets no 429s: this test is about crashes, not rate limits
        try (SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withSeed(SEED)).start(0);
             HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClockSkew(hubspotSkew).withSeed(SEED)
                     .withBurstPer10s(100_000).withSearchPerSecond(50)).start(0)) {
            // slow writes, so that kills land while a Composite call is in flight or just answered
            LatencyModel compositeLatency = LatencyModel.uniform(Duration.ofMillis(150), Duration.ofMillis(700), SEED);
            AtomicLong compositesStarted = new AtomicLong();
            // latency is drawn as a call arrives and the journal records it once answered: the difference is in flight
            salesforce.faults().latency("salesforce.composite", () -> {
                compositesStarted.incrementAndGet();
                return compositeLatency.next();
            });
            hubspot.faults().latency("hubspot.*", LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(60), SEED));
            // Flow 2's note creates are slow too, so kills land in the middle of one
            hubspot.faults().latency("hubspot.notes.batch.create", LatencyModel.uniform(Duration.ofMillis(100), Duration.ofMillis(400), SEED));

            World world = World.seed(new Random(SEED), salesforce.org(), hubspot, hubspotClock);
            Map<String, String> env = env(dir, salesforce, hubspot);
            if (postgresUrl != null) {
                env.put("CLOSEDLOOP_DB_URL", postgresUrl);
                env.put("CLOSEDLOOP_DB_USER", "postgres");
            }
            Daemon daemon = new Daemon(dir, env);
            Random random = new Random(SEED);
            int restarts = 0;
            int killedInComposite = 0;
            int killsAfterComposite = 0;
            int killsWhilePolling = 0;
            int killsAtStartup = 0;
            try (LiveEngagement live = new LiveEngagement(world, hubspot, salesforce.org(), new Random(SEED + 1), hubspotClock)) {
                live.start();
                // fewer kills may end before the contact-change baseline is stored: then kill on until it is
                int k = 0;
                for (; k < kills || (!live.mqlChangesOn() && k < KILLS); k++) {
                    daemon.start();
                    restarts += k > 0 ? 1 : 0;
                    // polling has begun once the email source (the first to poll) reads: `run` checks the org and the
                    // portal before that (describes, property reads), which are no kill points of the write path
                    long emailReadsBefore = hubspot.journal().count("hubspot.email.events");
                    int mode = random.nextInt(20);
                    if (mode < 7) {
                        // right after the Nth Composite call of polling was answered: the ledger may not have caught up
                        awaitUntil(() -> hubspot.journal().count("hubspot.email.events") > emailReadsBefore);
                        long compositesBefore = salesforce.journal().count("salesforce.composite");
                        int nth = 1 + random.nextInt(4);
                        awaitUntil(() -> salesforce.journal().count("salesforce.composite") - compositesBefore >= nth);
                        Thread.sleep(random.nextInt(120));
                        killsAfterComposite++;
                    } else if (mode < 17) {
                        // anywhere in the first seconds of polling: reads, identity queries, writes, checkpoints
                        awaitUntil(() -> hubspot.journal().count("hubspot.email.events") > emailReadsBefore);
                        Thread.sleep(random.nextInt(4_000));
                        killsWhilePolling++;
                    } else {
                        // during JVM startup, state store migration or the schema check
                        Thread.sleep(300 + random.nextInt(2_700));
                        killsAtStartup++;
                    }
                    boolean inFlight = compositesStarted.get() > salesforce.journal().count("salesforce.composite");
                    daemon.kill();
                    killedInComposite += inFlight ? 1 : 0;
                    if (!live.mqlChangesOn() && baselineTaken(daemon)) {
                        // a contact change has nothing to be compared with before the first (baseline) poll is stored
                        live.startMqlChanges();
                    }
                }
                assertThat(live.mqlChangesOn()).as("the contact-change baseline was stored during the kill phase").isTrue();
                kills = k;
            }
            // the world stands still: the last run drains everything
            daemon.start();
            restarts++;
            awaitQuiet(salesforce, hubspot, world);
            daemon.stop();

            try (StateStore store = StateStore.open(daemon.dbUrl(), daemon.dbUser(), "", clock)) {
                List<Expected> expected = new ArrayList<>(world.emails());
                expected.addAll(world.formSubmissions(hubspot));
                EndState end = new EndState(salesforce.org(), store, expected, world, hubspot);
                System.out.printf("crash safety (seed %d, HubSpot clock %+ds): %d people, %d email events (%d written types), %d form submissions, "
                                + "%s; %d kills (%d right after a Composite call, %d while polling, %d at startup; %d with a "
                                + "Composite call in flight), %d restarts, %d Salesforce Composite calls, %s%n",
                        SEED, hubspotSkew.toSeconds(), world.people().size(), world.emailEventCount(), world.emails().size(), world.submissionCount(),
                        world.mqls().size() + " MQL changes, " + world.rejections().size() + " rejections", kills, killsAfterComposite, killsWhilePolling, killsAtStartup, killedInComposite, restarts,
                        salesforce.journal().count("salesforce.composite"),
                        Duration.between(began, Instant.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                List<String> failures = new ArrayList<>();
                List<Invariant> invariants = new ArrayList<>(flow1Invariants());
                invariants.addAll(flow2Invariants());
                for (Invariant invariant : invariants) {
                    List<String> violations = invariant.check().apply(end);
                    System.out.printf("  %-70s %s%n", invariant.name(), violations.isEmpty() ? "ok" : violations.size() + " violations");
                    violations.stream().limit(10).forEach(v -> failures.add(invariant.name() + ": " + v));
                }
                assertThat(failures).as("crash-safety violations; daemon log tail:%n%s", daemon.logTail()).isEmpty();
            }
        }
    }

    /** Flow 1: HubSpot engagement into Salesforce. */
    static List<Invariant> flow1Invariants() {
        return List.of(
                new Invariant("every written event of a known person is one Marketing_Activity__c", end -> {
                    Map<String, Long> perEvent = countBy(end.org(), "SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c",
                            "Closedloop_Event_Id__c");
                    List<String> out = new ArrayList<>();
                    for (Expected e : end.expected()) {
                        long n = perEvent.getOrDefault(e.eventId(), 0L);
                        if (e.person().known() && n != 1) {
                            out.add(e.eventId() + " is in Salesforce " + n + " times");
                        }
                    }
                    return out;
                }),
                new Invariant("nothing else is in Salesforce (no unknown person, no counted-only type)", end -> {
                    Set<String> allowed = end.expected().stream().filter(e -> e.person().known()).map(Expected::eventId)
                            .collect(Collectors.toSet());
                    List<String> out = new ArrayList<>();
                    for (Map<String, Object> r : end.org().query("SELECT Closedloop_Event_Id__c, Activity_Type__c FROM Marketing_Activity__c")) {
                        String id = String.valueOf(r.get("Closedloop_Event_Id__c"));
                        if (!allowed.contains(id) && !"Became MQL".equals(r.get("Activity_Type__c"))) {
                            out.add("unexpected activity " + id + " (" + r.get("Activity_Type__c") + ")");
                        }
                    }
                    return out;
                }),
                new Invariant("every event of a person unknown to Salesforce is parked as UNMATCHED", end -> {
                    List<String> out = new ArrayList<>();
                    for (Expected e : end.expected()) {
                        if (!e.person().known()) {
                            var parked = end.store().parked().find(e.flow(), e.eventId());
                            if (parked.isEmpty() || parked.get().status() != ParkedRecords.Status.PARKED
                                    || !"UNMATCHED".equals(parked.get().errorCode())) {
                                out.add(e.eventId() + " of flow " + e.flow() + " is not parked as UNMATCHED: " + parked);
                            }
                        }
                    }
                    return out;
                }),
                new Invariant("every key-moment form submission of a known person is one Task", end -> {
                    Map<String, Long> perEvent = countBy(end.org(), "SELECT Closedloop_Event_Id__c FROM Task WHERE Closedloop_Event_Id__c != null",
                            "Closedloop_Event_Id__c");
                    List<String> out = new ArrayList<>();
                    Set<String> moments = new java.util.HashSet<>();
                    for (Expected e : end.expected()) {
                        if (e.keyMoment() && e.person().known()) {
                            moments.add(e.eventId());
                            long n = perEvent.getOrDefault(e.eventId(), 0L);
                            if (n != 1) {
                                out.add("Task of " + e.eventId() + " exists " + n + " times");
                            }
                        }
                    }
                    perEvent.keySet().stream().filter(id -> !moments.contains(id)).forEach(id -> out.add("unexpected Task " + id));
                    return out;
                }),
                new Invariant("every MQL change of a known person is one 'Became MQL' activity", end -> {
                    Map<String, List<Object>> perContact = end.org().query("SELECT HubSpot_Contact_Id__c, Closedloop_Event_Id__c "
                                    + "FROM Marketing_Activity__c WHERE Activity_Type__c = 'Became MQL'").stream()
                            .collect(Collectors.groupingBy(r -> String.valueOf(r.get("HubSpot_Contact_Id__c")),
                                    Collectors.mapping(r -> r.get("Closedloop_Event_Id__c"), Collectors.toList())));
                    List<String> out = new ArrayList<>();
                    for (Person p : end.world().mqls()) {
                        List<Object> ids = perContact.getOrDefault(p.hubspotId(), List.of());
                        if (p.known() && ids.size() != 1) {
                            out.add("HubSpot contact " + p.hubspotId() + " became an MQL " + ids.size() + " times in Salesforce: " + ids);
                        }
                    }
                    return out;
                }),
                new Invariant("every MQL change of an unknown person is parked once", end -> {
                    Map<String, Long> perContact = end.store().parked().list(ParkedRecords.Filter.parkedIn("hubspot-contact-changes"), 100_000)
                            .stream().filter(r -> r.recordKey().contains(":mql:"))
                            .collect(Collectors.groupingBy(r -> r.recordKey().split(":")[1], Collectors.counting()));
                    List<String> out = new ArrayList<>();
                    for (Person p : end.world().mqls()) {
                        long n = perContact.getOrDefault(p.hubspotId(), 0L);
                        if (!p.known() && n != 1) {
                            out.add("the MQL change of unknown HubSpot contact " + p.hubspotId() + " is parked " + n + " times");
                        }
                    }
                    return out;
                }),
                new Invariant("the cursors cover the last event", end -> {
                    List<String> out = new ArrayList<>();
                    long email = end.store().cursors().get("hubspot-email-events").map(TimeWindowCursor::parse)
                            .map(c -> c.watermark().toEpochMilli()).orElse(-1L);
                    if (email < end.world().lastEmailAt()) {
                        out.add("email events cursor " + email + " is before the last event " + end.world().lastEmailAt());
                    }
                    String forms = end.store().cursors().get("hubspot-form-submissions").orElse("");
                    end.world().lastSubmissionAt().forEach((guid, at) -> {
                        long watermark = java.util.Arrays.stream(forms.split(";")).filter(p -> p.startsWith(guid + "="))
                                .mapToLong(p -> Long.parseLong(p.substring(guid.length() + 1))).findFirst().orElse(-1L);
                        if (watermark < at) {
                            out.add("form " + guid + " cursor " + watermark + " is before its last submission " + at);
                        }
                    });
                    return out;
                }));
    }

    /** Flow 2: the sales verdict back to HubSpot. */
    static List<Invariant> flow2Invariants() {
        return List.of(
                new Invariant("every rejection is on the HubSpot contact with its reason and detail", end -> {
                    List<String> out = new ArrayList<>();
                    for (Rejection r : end.world().rejections()) {
                        Map<String, String> c = end.hubspot().portal().contact(r.person().hubspotId());
                        if (!"rejected".equals(c.get("sales_disposition"))
                                || !io.closedloop.hubspot.HubSpotPropertySetup.optionValue(r.reason()).equals(c.get("sales_rejection_reason"))
                                || !r.detail().equals(c.get("sales_rejection_detail"))) {
                            out.add("HubSpot contact " + r.person().hubspotId() + " shows " + c.get("sales_disposition") + "/"
                                    + c.get("sales_rejection_reason") + " after its rejection");
                        }
                    }
                    return out;
                }),
                new Invariant("every rejection has exactly one timeline note", end -> {
                    Map<String, Long> notes = end.hubspot().portal().notes().stream()
                            .filter(n -> String.valueOf(n.properties().get("hs_note_body")).contains("rejected this lead"))
                            .flatMap(n -> n.contactIds().stream()).collect(Collectors.groupingBy(id -> id, Collectors.counting()));
                    List<String> out = new ArrayList<>();
                    for (Rejection r : end.world().rejections()) {
                        long n = notes.getOrDefault(r.person().hubspotId(), 0L);
                        if (n != 1) {
                            out.add("HubSpot contact " + r.person().hubspotId() + " has " + n + " rejection notes");
                        }
                    }
                    return out;
                }));
    }

    private static Map<String, Long> countBy(SalesforceOrg org, String soql, String field) {
        return org.query(soql).stream().collect(Collectors.groupingBy(r -> String.valueOf(r.get(field)), Collectors.counting()));
    }

    static Map<String, String> env(Path dir, SalesforceEmulator salesforce, HubSpotEmulator hubspot) {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
        env.put("SALESFORCE_LOGIN_URL", salesforce.baseUrl());
        env.put("SALESFORCE_CLIENT_ID", SalesforceEmulator.Config.defaults().clientId());
        env.put("SALESFORCE_CLIENT_SECRET", SalesforceEmulator.Config.defaults().clientSecret());
        env.put("CLOSEDLOOP_DB_URL", "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(TestSettings.freePort()));
        env.put("CLOSEDLOOP_POLL_INTERVAL", "300ms");
        env.put("CLOSEDLOOP_KEY_MOMENTS", "form-submission");
        // every form at every poll, as this run was built for: no form search competes with the contact-change baseline
        env.put("HUBSPOT_FORM_FULL_READ_INTERVAL", "0s");
        // the kill points are Composite calls, as this run was built for; BackfillCrashIT kills around Bulk jobs
        env.put("SALESFORCE_LIVE_BULK_THRESHOLD", "100000");
        return env;
    }

    /** Between kills the state store is free: has the contact-change source stored its baseline yet? */
    private static boolean baselineTaken(Daemon daemon) {
        try (StateStore store = StateStore.open(daemon.dbUrl(), daemon.dbUser(), "", Clock.systemUTC())) {
            return store.cursors().get("hubspot-contact-changes").isPresent();
        }
    }

    /**
     * The last run is done when its reads have passed the last event of every source and Salesforce has seen no new
     * activity, Task or parked record for a few seconds.
     */
    static void awaitQuiet(SalesforceEmulator salesforce, HubSpotEmulator hubspot, World world) throws Exception {
        Instant stillSince = Instant.now();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        Instant worldStopped = Instant.now();
        long last = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = count(salesforce.org(), "Marketing_Activity__c") * 1_000_003L + count(salesforce.org(), "Task")
                    + hubspot.journal().count("hubspot.contacts.batch.update") * 7_919L + hubspot.portal().notes().size();
            if (now != last) {
                last = now;
                stillSince = Instant.now();
            }
            List<CallJournal.Call> calls = hubspot.journal().calls();
            boolean emailsRead = calls.stream().anyMatch(c -> c.endpoint().equals("hubspot.email.events") && c.status() == 200
                    && endTimestamp(c.query()) > world.lastEmailAt());
            boolean formsRead = calls.stream().anyMatch(c -> c.endpoint().equals("hubspot.forms.submissions") && c.status() == 200
                    && c.at().isAfter(worldStopped.plusSeconds(2)));
            boolean contactsRead = calls.stream().anyMatch(c -> c.endpoint().equals("hubspot.contacts.search") && c.status() == 200
                    && c.at().isAfter(worldStopped.plusSeconds(2)));
            boolean dispositionsRead = salesforce.journal().calls().stream().anyMatch(c -> c.endpoint().equals("salesforce.composite")
                    && c.at().isAfter(worldStopped.plusSeconds(2)));
            if (emailsRead && formsRead && contactsRead && dispositionsRead && Duration.between(stillSince, Instant.now()).toSeconds() >= 5) {
                return;
            }
        }
        throw new AssertionError("the daemon did not settle within " + SETTLE_TIMEOUT);
    }

    /** Waits for a condition of the emulators, at most 20 seconds (then the kill lands wherever the run is). */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static long endTimestamp(String query) {
        if (query == null) {
            return -1;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("endTimestamp=")) {
                return Long.parseLong(part.substring("endTimestamp=".length()));
            }
        }
        return -1;
    }

    private static long count(SalesforceOrg org, String sobject) {
        return ((Number) org.query("SELECT COUNT() FROM " + sobject).get(0).get("count")).longValue();
    }

    /** The daemon as a child JVM, one log file per start. */
    static final class Daemon {
        private final Path dir;
        private final Map<String, String> env;
        private Process process;
        private int starts;

        Daemon(Path dir, Map<String, String> env) {
            this.dir = dir;
            this.env = env;
        }

        String dbUrl() {
            return env.get("CLOSEDLOOP_DB_URL");
        }

        String dbUser() {
            return env.getOrDefault("CLOSEDLOOP_DB_USER", "sa");
        }

        /** The running process's id, which the leader election names its holder by. */
        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        void start() throws IOException {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String jar = Path.of(System.getProperty("closedloop.jar", "target/closedloop.jar")).toAbsolutePath().toString();
            starts++;
            // C1 only and the serial collector: a quicker start on a small shared machine, the daemon's behaviour is the same
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "run")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log(starts).toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            process = pb.start();
        }

        /** Process.destroyForcibly() is SIGKILL on Linux: no shutdown hook, no graceful stop, no flush. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed daemon is gone").isTrue();
        }

        /** The final stop is SIGTERM, as an operator would stop it. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        private Path log(int start) {
            return dir.resolve("daemon-" + start + ".log");
        }

        String logTail() throws IOException {
            List<String> lines = Files.readAllLines(log(starts), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    /** People, forms and the events made so far, as the test knows them. */
    static final class World {
        private static final String[] TYPES = {"OPEN", "OPEN", "OPEN", "CLICK", "CLICK", "SENT", "DELIVERED", "BOUNCE", "STATUSCHANGE",
            "SPAMREPORT"};
        private final List<Person> people;
        private final List<String> forms;
        private final List<Expected> emails = new CopyOnWriteArrayList<>();
        private final AtomicLong emailEvents = new AtomicLong();
        private final AtomicLong submissions = new AtomicLong();
        private final AtomicLong lastEmailAt = new AtomicLong();
        private final Map<String, Long> lastSubmissionAt = new ConcurrentHashMap<>();
        private final List<Person> mqls = new CopyOnWriteArrayList<>();
        private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
        private final Map<String, Person> byEmail = new HashMap<>();
        private final AtomicLong eventIds = new AtomicLong(1_000_000);

        private World(List<Person> people, List<String> forms) {
            this.people = people;
            this.forms = forms;
            people.forEach(p -> byEmail.put(p.email(), p));
        }

        static World seed(Random random, SalesforceOrg org, HubSpotEmulator hubspot, Clock clock) {
            List<String> accounts = new ArrayList<>();
            for (int c = 0; c < COMPANIES; c++) {
                accounts.add(org.insert("Account", Map.of("Name", "Crash Co " + c, "Website", "https://www.crash" + c + ".example")));
            }
            List<Person> people = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                int company = i % COMPANIES;
                String email = "person" + i + "@crash" + company + ".example";
                Match match = i % 7 == 6 ? Match.UNKNOWN : i % 2 == 0 ? Match.LEAD : Match.CONTACT;
                Map<String, Object> record = new HashMap<>(Map.of("LastName", "Person " + i, "Email", email));
                if (match == Match.LEAD) {
                    record.put("Company", "Crash Co " + company);
                    org.insert("Lead", record);
                } else if (match == Match.CONTACT) {
                    record.put("AccountId", accounts.get(company));
                    org.insert("Contact", record);
                }
                String id = hubspot.portal().createContact(Map.of("email", email, "firstname", "Person", "lastname", Integer.toString(i),
                        "lifecyclestage", "lead", "hubspotscore", Integer.toString(10 + random.nextInt(30))));
                people.add(new Person(email, id, match));
            }
            List<String> forms = List.of(hubspot.portal().addForm("Demo request"), hubspot.portal().addForm("Contact us"),
                    hubspot.portal().addForm("Ebook download"));
            hubspot.portal().addEmailCampaign(77L, "Crash test", "Crash test");
            World world = new World(people, forms);
            // the backlog: the last 50 minutes, inside the daemon's first-start lookback of one hour
            long from = clock.millis() - Duration.ofMinutes(50).toMillis();
            long span = Duration.ofMinutes(49).toMillis();
            for (int e = 0; e < BACKLOG_EMAILS; e++) {
                world.email(hubspot, random, from + (long) (random.nextDouble() * span));
            }
            for (int s = 0; s < BACKLOG_FORMS; s++) {
                world.submission(hubspot, random, from + (long) (random.nextDouble() * span));
            }
            return world;
        }

        List<Rejection> rejections() {
            return rejections;
        }

        /** Sales rejects a Lead it has not rejected before, with a reason and a detail of its own. */
        void reject(SalesforceOrg org, Random random) {
            List<Person> open = people.stream().filter(p -> p.match() == Match.LEAD)
                    .filter(p -> rejections.stream().noneMatch(r -> r.person().equals(p))).toList();
            if (open.isEmpty()) {
                return;
            }
            Person p = open.get(random.nextInt(open.size()));
            String reason = List.of("No budget", "Not in ICP", "Timing", "Competitor chosen").get(random.nextInt(4));
            String detail = "Said no on tick " + random.nextInt(1_000_000) + " — ¿qué? 👋";
            String leadId = (String) org.query("SELECT Id FROM Lead WHERE Email = '" + p.email() + "'").get(0).get("Id");
            org.update("Lead", leadId, Map.of("Status", "Closed - Not Converted", "Rejection_Reason__c", reason, "Rejection_Detail__c", detail));
            rejections.add(new Rejection(p, reason, detail));
        }

        void email(HubSpotEmulator hubspot, Random random, long at) {
            Person p = people.get(random.nextInt(people.size()));
            String type = TYPES[random.nextInt(TYPES.length)];
            Map<String, Object> extras = switch (type) {
                case "CLICK" -> Map.of("url", "https://www.closedloop.example/pricing");
                case "STATUSCHANGE" -> Map.of("portalSubscriptionStatus", "UNSUBSCRIBED", "source", "SOURCE_RECIPIENT");
                default -> Map.of();
            };
            String id = Long.toString(eventIds.incrementAndGet());
            hubspot.portal().addEmailEvent(new EmailEvent(id, at, type, p.email(), 77L, extras));
            emailEvents.incrementAndGet();
            lastEmailAt.accumulateAndGet(at, Math::max);
            if (WRITTEN_EMAIL_TYPES.contains(type)) {
                emails.add(new Expected(EngagementEvent.idOf("email", id, Long.toString(at)), "hubspot-email-events", p, false));
            }
        }

        void submission(HubSpotEmulator hubspot, Random random, long at) {
            Person p = people.get(random.nextInt(people.size()));
            String form = forms.get(random.nextInt(forms.size()));
            hubspot.portal().addFormSubmission(form, at, "https://www.closedloop.example/demo",
                    Map.of("email", p.email(), "firstname", "Person", "lastname", p.hubspotId()));
            submissions.incrementAndGet();
            lastSubmissionAt.merge(form, at, Math::max);
        }

        /** The form submissions as the HubSpot API shows them (their conversion ids are HubSpot's), with the daemon's ids. */
        List<Expected> formSubmissions(HubSpotEmulator hubspot) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            List<Expected> out = new ArrayList<>();
            for (String form : forms) {
                String after = null;
                do {
                    String url = hubspot.baseUrl() + "/form-integrations/v1/submissions/forms/" + form + "?limit=50"
                            + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode page = json.readTree(r.body());
                    for (JsonNode s : page.path("results")) {
                        String email = null;
                        for (JsonNode v : s.path("values")) {
                            if (v.path("name").asText().equals("email")) {
                                email = v.path("value").asText();
                            }
                        }
                        out.add(new Expected(EngagementEvent.idOf("form", form, s.path("conversionId").asText()), "hubspot-form-submissions",
                                byEmail.get(email), true));
                    }
                    after = page.path("paging").path("next").path("after").asText(null);
                } while (after != null);
            }
            assertThat(out).hasSize((int) submissions.get());
            return out;
        }

        /** Moves a person who is not one yet to MQL; the contact then changes again, as scoring does in HubSpot. */
        Person becomeMql(HubSpotEmulator hubspot, Random random) {
            for (int tries = 0; tries < 20; tries++) {
                Person p = people.get(random.nextInt(people.size()));
                if (!mqls.contains(p)) {
                    hubspot.portal().updateContact(p.hubspotId(), Map.of("lifecyclestage", MQL, "hubspotscore", "65"));
                    mqls.add(p);
                    return p;
                }
            }
            return null;
        }

        List<Person> people() {
            return people;
        }

        List<Expected> emails() {
            return emails;
        }

        List<Person> mqls() {
            return mqls;
        }

        long emailEventCount() {
            return emailEvents.get();
        }

        long submissionCount() {
            return submissions.get();
        }

        long lastEmailAt() {
            return lastEmailAt.get();
        }

        Map<String, Long> lastSubmissionAt() {
            return lastSubmissionAt;
        }
    }

    /** Engagement that keeps arriving while the daemon is killed and restarted. */
    static final class LiveEngagement implements AutoCloseable {
        private final World world;
        private final HubSpotEmulator hubspot;
        private final SalesforceOrg org;
        private final Random random;
        private final Clock clock;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean mqlChanges = new AtomicBoolean();
        private final Thread thread;

        LiveEngagement(World world, HubSpotEmulator hubspot, SalesforceOrg org, Random random, Clock clock) {
            this.world = world;
            this.hubspot = hubspot;
            this.org = org;
            this.random = random;
            this.clock = clock;
            this.thread = new Thread(this::run, "crash-test-engagement");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        boolean mqlChangesOn() {
            return mqlChanges.get();
        }

        void startMqlChanges() {
            mqlChanges.set(true);
        }

        private void run() {
            Map<Person, Long> rescore = new LinkedHashMap<>();
            for (long tick = 0; running.get(); tick++) {
                long now = clock.millis();
                for (int i = 0; i < 3; i++) {
                    world.email(hubspot, random, now);
                }
                if (tick % 10 == 0) {
                    world.submission(hubspot, random, now);
                }
                if (tick % 20 == 5) {
                    world.reject(org, random);
                }
                if (mqlChanges.get() && tick % 15 == 0) {
                    Person p = world.becomeMql(hubspot, random);
                    if (p != null) {
                        rescore.put(p, now + 300 + random.nextInt(1_500));
                    }
                }
                // a later, unrelated change of the same contact: its lastmodifieddate moves on
                for (var it = rescore.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue() <= now) {
                        hubspot.portal().updateContact(e.getKey().hubspotId(), Map.of("hubspotscore", Integer.toString(66 + random.nextInt(30))));
                        it.remove();
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
