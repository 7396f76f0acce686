package io.closedloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.reliability.CrashSafetyIT.Daemon;
import io.closedloop.reliability.CrashSafetyIT.EndState;
import io.closedloop.reliability.CrashSafetyIT.Expected;
import io.closedloop.reliability.CrashSafetyIT.Invariant;
import io.closedloop.reliability.CrashSafetyIT.LiveEngagement;
import io.closedloop.reliability.CrashSafetyIT.World;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.LatencyModel;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.state.StateStore;
import io.closedloop.testsupport.EmbeddedPostgresSupport;
import io.closedloop.testsupport.TestSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemons ({@code java -jar target/closedloop.jar run}) on one PostgreSQL database against the emulators, with
 * engagement and rejections arriving all along; the leader is killed with SIGKILL several times and restarted as a
 * standby. Afterwards the emulators' state holds every event, Task, note and property update exactly once (the
 * crash-safety invariants), each HubSpot read came from one daemon at a time, each takeover took under 30 s, and the
 * cluster's Salesforce calls stayed within the configured share.
 */
class ReplicasIT {
    private static final long SEED = Long.getLong("replicas.seed", 20_261_202L);
    private static final int KILLS = Integer.getInteger("replicas.kills", 4);
    private static final int REPLICAS = 3;
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(30);
    /** The org's daily allocation in the emulator, and the share the daemons may use of it. */
    private static final long SALESFORCE_ALLOCATION = 40_000;
    private static final int SALESFORCE_SHARE_PERCENT = 25;
    private static final Set<String> READS = Set.of("hubspot.email.events", "hubspot.forms.submissions", "hubspot.contacts.search");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    /** The leader as the database names it: its term, holder ("host/pid") and when it took the lead. */
    record Lead(long term, String holder, Instant since) {
        long pid() {
            return Long.parseLong(holder.substring(holder.lastIndexOf('/') + 1));
        }
    }

    @Test
    void threeReplicasWhoseLeaderIsKilledRepeatedlyLoseNothingAndRepeatNothing() throws Exception {
        Clock clock = Clock.systemUTC();
        Instant began = Instant.now();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            // each daemon its own token, so the journal tells who called (none ends like the test's own token)
            tokens.add("pat-na1-22222222-repl-ica0-0000-0000000abc" + i);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgresSupport.start();
             SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withSeed(SEED)
                     .withDailyApiLimit(SALESFORCE_ALLOCATION)).start(0);
             HubSpotEmulator hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSeed(SEED)
                     .withTokens(java.util.stream.Stream.concat(tokens.stream(), java.util.stream.Stream.of(HubSpotEmulator.DEFAULT_TOKEN)).collect(Collectors.toSet()))
                     .withBurstPer10s(100_000).withSearchPerSecond(50)).start(0)) {
            salesforce.faults().latency("salesforce.composite", LatencyModel.uniform(Duration.ofMillis(100), Duration.ofMillis(500), SEED));
            hubspot.faults().latency("hubspot.*", LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(60), SEED));
            hubspot.faults().latency("hubspot.notes.batch.create", LatencyModel.uniform(Duration.ofMillis(100), Duration.ofMillis(400), SEED));

            World world = World.seed(new Random(SEED), salesforce.org(), hubspot, clock);
            String dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            List<Daemon> daemons = new ArrayList<>();
            Map<String, String> tokenOf = new LinkedHashMap<>();
            for (int i = 0; i < REPLICAS; i++) {
                Path home = Files.createDirectories(dir.resolve("replica-" + i));
                Map<String, String> env = CrashSafetyIT.env(home, salesforce, hubspot);
                env.put("CLOSEDLOOP_DB_URL", dbUrl);
                env.put("CLOSEDLOOP_DB_USER", "postgres");
                env.put("HUBSPOT_ACCESS_TOKEN", tokens.get(i));
                env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(TestSettings.freePort()));
                env.put("SALESFORCE_DAILY_SHARE", SALESFORCE_SHARE_PERCENT + "%");
                daemons.add(new Daemon(home, env));
                tokenOf.put(tokens.get(i).substring(tokens.get(i).length() - 8), "replica-" + i);
            }
            for (Daemon d : daemons) {
                d.start();
            }
            List<Duration> takeovers = new ArrayList<>();
            List<Instant> killedAt = new ArrayList<>();
            Random random = new Random(SEED);
            try (LiveEngagement live = new LiveEngagement(world, hubspot, salesforce.org(), new Random(SEED + 1), clock)) {
                live.start();
                Lead lead = awaitLeader(dbUrl, 0, Duration.ofSeconds(90));
                for (int k = 0; k < KILLS; k++) {
                    Lead current = lead;
                    Daemon leader = daemons.stream().filter(d -> d.alive() && d.pid() == current.pid()).findFirst()
                            .orElseThrow(() -> new AssertionError("no running daemon has pid " + current.pid()));
                    // let it work: reads, Composite calls, notes
                    long composites = salesforce.journal().count("salesforce.composite");
                    awaitUntil(() -> salesforce.journal().count("salesforce.composite") > composites, Duration.ofSeconds(30));
                    Thread.sleep(2_000 + random.nextInt(4_000));
                    Instant kill = Instant.now();
                    leader.kill();
                    killedAt.add(kill);
                    lead = awaitLeader(dbUrl, current.term(), TAKEOVER_LIMIT.plusSeconds(30));
                    takeovers.add(Duration.between(kill, lead.since()));
                    if (!live.mqlChangesOn() && baselineTaken(dbUrl)) {
                        live.startMqlChanges();
                    }
                    // back as a standby; the next kill waits until every replica is in the election again
                    leader.start();
                    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (electionSessions(dbUrl) < REPLICAS && System.nanoTime() < until) {
                        Thread.sleep(500);
                    }
                }
            }
            CrashSafetyIT.awaitQuiet(salesforce, hubspot, world);
            // the standbys first and the leader last: a leader that stops in order hands the lead on, and a standby
            // still running would take it and read, a change of reader that no kill caused
            Lead last = lead(dbUrl);
            List<Daemon> stopOrder = new ArrayList<>(daemons);
            stopOrder.sort(java.util.Comparator.comparing((Daemon d) -> last != null && d.alive() && d.pid() == last.pid()));
            for (Daemon d : stopOrder) {
                d.stop();
            }

            try (StateStore store = StateStore.open(dbUrl, "postgres", "", clock)) {
                List<Expected> expected = new ArrayList<>(world.emails());
                expected.addAll(world.formSubmissions(hubspot));
                EndState end = new EndState(salesforce.org(), store, expected, world, hubspot);
                // the daemons' reads, not the test's own look-ups
                List<CallJournal.Call> reads = hubspot.journal().calls().stream()
                        .filter(c -> READS.contains(c.endpoint()) && tokenOf.containsKey(c.caller())).toList();
                long salesforceCalls = salesforce.journal().total();
                System.out.printf("replicas (seed %d): %d daemons, %d people, %d email events, %d form submissions, %d rejections;"
                                + " %d kills of the leader, takeovers %s (kill to new lead); %d HubSpot reads by %s;"
                                + " %d Salesforce calls (share %d%% of %d = %d); %s%n",
                        SEED, REPLICAS, world.people().size(), world.emailEventCount(), world.submissionCount(), world.rejections().size(),
                        KILLS, takeovers.stream().map(d -> d.toMillis() + " ms").toList(), reads.size(),
                        reads.stream().map(c -> tokenOf.get(c.caller())).distinct().toList(), salesforceCalls, SALESFORCE_SHARE_PERCENT,
                        SALESFORCE_ALLOCATION, SALESFORCE_ALLOCATION * SALESFORCE_SHARE_PERCENT / 100,
                        Duration.between(began, Instant.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                // the election as the daemons logged it, for the takeover timings
                try (var logs = Files.walk(dir)) {
                    for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                        Files.readAllLines(log).stream().filter(l -> l.contains("the lead of")).map(l -> "  " + dir.relativize(log) + ": " + l)
                                .forEach(System.out::println);
                    }
                }
                System.out.println("  kills at " + killedAt);
                List<Invariant> invariants = new ArrayList<>(CrashSafetyIT.flow1Invariants());
                invariants.addAll(CrashSafetyIT.flow2Invariants());
                invariants.add(new Invariant("every takeover took under " + TAKEOVER_LIMIT.toSeconds() + " s", e -> takeovers.stream()
                        .filter(t -> t.compareTo(TAKEOVER_LIMIT) >= 0).map(t -> "a takeover took " + t.toMillis() + " ms").toList()));
                invariants.add(new Invariant("one daemon reads HubSpot at a time: the reader changes only at a kill", e ->
                        readerChanges(reads, killedAt.size())));
                invariants.add(new Invariant("every email-event window is read by one daemon only", e -> windowsReadTwice(reads)));
                invariants.add(new Invariant("no disposition update reaches a HubSpot contact twice, but once again after a kill cut the run short",
                        e -> repeatedPropertyWrites(hubspot.portal().propertyWrites(), killedAt)));
                invariants.add(new Invariant("the cluster's Salesforce calls are within the configured share", e ->
                        salesforceCalls <= SALESFORCE_ALLOCATION * SALESFORCE_SHARE_PERCENT / 100 ? List.of()
                                : List.of(salesforceCalls + " calls, over the share")));
                List<String> failures = new ArrayList<>();
                for (Invariant invariant : invariants) {
                    List<String> violations = invariant.check().apply(end);
                    System.out.printf("  %-90s %s%n", invariant.name(), violations.isEmpty() ? "ok" : violations.size() + " violations");
                    violations.stream().limit(10).forEach(v -> failures.add(invariant.name() + ": " + v));
                }
                StringBuilder logs = new StringBuilder();
                for (Daemon d : daemons) {
                    logs.append(d.logTail()).append("\n----\n");
                }
                assertThat(failures).as("replica violations; daemon log tails:%n%s", logs).isEmpty();
            }
        }
    }

    /** Reads sorted by time: each change of reader must follow a kill, so no two daemons ever polled side by side. */
    private static List<String> readerChanges(List<CallJournal.Call> reads, int kills) {
        List<CallJournal.Call> sorted = reads.stream().sorted(java.util.Comparator.comparing(CallJournal.Call::at)).toList();
        List<String> changes = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            if (!Objects.equals(sorted.get(i).caller(), sorted.get(i - 1).caller())) {
                changes.add(sorted.get(i - 1).caller() + " -> " + sorted.get(i).caller() + " at " + sorted.get(i).at());
            }
        }
        return changes.size() <= kills ? List.of() : List.of(changes.size() + " reader changes for " + kills + " kills: " + changes);
    }

    /** The same time window of email events read by two daemons: both polled it. */
    private static List<String> windowsReadTwice(List<CallJournal.Call> reads) {
        Map<String, Set<String>> readers = reads.stream().filter(c -> c.endpoint().equals("hubspot.email.events") && c.query() != null)
                .collect(Collectors.groupingBy(c -> window(c.query()), Collectors.mapping(CallJournal.Call::caller, Collectors.toSet())));
        return readers.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> "window " + e.getKey() + " read by " + e.getValue()).toList();
    }

    private static String window(String query) {
        return java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("startTimestamp=") || p.startsWith("endTimestamp=")
                || p.startsWith("offset=")).sorted().collect(Collectors.joining("&"));
    }

    /**
     * The same disposition update sent to a contact twice in a row: only allowed when a kill came between the two
     * (the dead leader sent it but died before it recorded so; the next one sends it again). Two live daemons never do.
     */
    private static List<String> repeatedPropertyWrites(List<HubSpotPortal.PropertyWrite> writes, List<Instant> kills) {
        Map<String, List<HubSpotPortal.PropertyWrite>> byContact = writes.stream()
                .filter(w -> w.properties().containsKey("sales_disposition"))
                .collect(Collectors.groupingBy(HubSpotPortal.PropertyWrite::contactId, LinkedHashMap::new, Collectors.toList()));
        List<String> out = new ArrayList<>();
        int afterKill = 0;
        for (var e : byContact.entrySet()) {
            List<HubSpotPortal.PropertyWrite> w = e.getValue();
            for (int i = 1; i < w.size(); i++) {
                if (!w.get(i).properties().equals(w.get(i - 1).properties())) {
                    continue;
                }
                Instant first = w.get(i - 1).at();
                Instant again = w.get(i).at();
                // the emulator logs an update when it answers, so one in flight at a kill is logged just after it
                boolean killBetween = kills.stream().anyMatch(k -> k.isAfter(first.minusSeconds(1)) && k.isBefore(again));
                if (killBetween && !Objects.equals(w.get(i - 1).caller(), w.get(i).caller())) {
                    afterKill++;
                } else {
                    out.add("contact " + e.getKey() + " got the same update from " + w.get(i - 1).caller() + " at " + first + " and from "
                            + w.get(i).caller() + " at " + again + " with no kill between");
                }
            }
        }
        System.out.printf("  (disposition updates sent again by the next leader after a kill: %d)%n", afterKill);
        return out;
    }

    /** Waits for a leader whose term is above {@code after}. */
    private static Lead awaitLeader(String dbUrl, long after, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Lead lead = lead(dbUrl);
            if (lead != null && lead.term() > after) {
                return lead;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new leader after term " + after + " within " + timeout);
    }

    private static Lead lead(String dbUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", ""); Statement st = c.createStatement()) {
            if (!exists(st)) {
                return null;
            }
            try (ResultSet rs = st.executeQuery("SELECT term, holder, since FROM cluster_leader WHERE name = 'closedloop'")) {
                return rs.next() ? new Lead(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()) : null;
            }
        }
    }

    private static boolean exists(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('public.cluster_leader') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Replicas whose election session is open: started far enough to stand by or lead. */
    private static long electionSessions(String dbUrl) {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'closedloop-leader-election'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    private static boolean baselineTaken(String dbUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM source_cursor WHERE source = 'hubspot-contact-changes'")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
