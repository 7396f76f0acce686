package io.closedloop.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.LatencyModel;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's world in a JVM of its own, so that the daemon's heap and RSS are the daemon's alone: both emulators
 * with the given round-trip time, a seeded world, and a line protocol on stdin (one JSON answer per line on stdout).
 */
@Command(name = "bench-emulators", hidden = true, description = "The benchmark's emulators (started by `bench`).")
public class BenchEmulators implements Callable<Integer> {
    @Option(names = "--people", defaultValue = "20000")
    int people;

    @Option(names = "--rtt-ms", defaultValue = "100")
    long rttMs;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    /** Event time of every event generated since the last reset, by HubSpot event id. */
    private final Map<String, Long> generated = new ConcurrentHashMap<>();

    /** This JVM's CPU time at the last reset: the emulators share the machine's cores with the daemon they serve. */
    private volatile double cpuAtReset = ProcessMeter.cpuSeconds();
    /** When each rejected Lead was rejected, by HubSpot contact id. */
    private final Map<String, Instant> rejectedAt = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Thread live;
    /**
     * How many Marketing Activities {@link #written()} has looked at, and how many of those are of events generated
     * since the last reset.
     */
    private int seenActivities;
    private long writtenSinceReset;
    private World world;
    private List<World.Person> writable;
    private int nextRejection;
    private HubSpotEmulator hubspot;
    private SalesforceEmulator salesforce;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withSeed(seed)).start(0);
        hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withSeed(seed)).start(0);
        try {
            LatencyModel rtt = LatencyModel.fixed(Duration.ofMillis(rttMs));
            // a companies' average of three people gives the asked-for world size
            world = WorldSeeder.seed(WorldConfig.defaults().withSeed(seed).withCompanies(Math.max(1, people / 3)), salesforce.org(),
                    hubspot.portal(), clock);
            // only people Salesforce knows once: every generated event is then exactly one activity
            writable = world.people().stream().filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null).toList();
            hubspot.faults().latency("hubspot.*", rtt);
            salesforce.faults().latency("salesforce.*", rtt);
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("hubspot", hubspot.baseUrl());
            ready.put("salesforce", salesforce.baseUrl());
            ready.put("people", world.people().size());
            ready.put("writable", writable.size());
            ready.put("lists", world.lists().stream().map(World.MarketingList::id).toList());
            out.println(JSON.writeValueAsString(ready));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                out.println(JSON.writeValueAsString(answer(line.trim().split("\\s+"))));
            }
            return 0;
        } finally {
            if (live != null) {
                live.interrupt();
            }
            hubspot.close();
            salesforce.close();
        }
    }

    private Map<String, Object> answer(String[] cmd) throws InterruptedException {
        return switch (cmd[0]) {
            case "history" -> history(Integer.parseInt(cmd[1]), Duration.ofMillis(Long.parseLong(cmd[2])));
            case "live" -> live(Integer.parseInt(cmd[1]), Double.parseDouble(cmd[2]));
            case "reject" -> reject(Integer.parseInt(cmd[1]));
            case "progress" -> Map.of("activities", written(), "generated", generated.size(), "liveRunning", live != null && live.isAlive());
            case "stats" -> stats();
            case "reset" -> reset();
            default -> Map.of("error", "unknown command " + cmd[0]);
        };
    }

    /** How long before a {@code history} command is answered its events end (older than any poll's settle time). */
    static final Duration HISTORY_SETTLE = Duration.ofSeconds(10);

    /** Events spread evenly over the span that ends {@link #HISTORY_SETTLE} ago. */
    private Map<String, Object> history(int n, Duration span) {
        long end = clock.millis() - HISTORY_SETTLE.toMillis();
        long step = Math.max(1, span.toMillis() / Math.max(1, n));
        Random random = new Random(seed + sequence.get());
        for (int i = 0; i < n; i++) {
            add(end - (long) i * step, random);
        }
        return Map.of("added", n);
    }

    /** {@code n} events at {@code rate} a second, stamped with the time they are added, in ticks of 100 ms. */
    private Map<String, Object> live(int n, double rate) {
        Thread t = new Thread(() -> {
            Random random = new Random(seed + 7);
            long start = clock.millis();
            int made = 0;
            try {
                while (made < n) {
                    long due = Math.min(n, (long) ((clock.millis() - start) / 1000.0 * rate) + 1);
                    for (; made < due; made++) {
                        add(clock.millis(), random);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-live");
        t.setDaemon(true);
        live = t;
        t.start();
        return Map.of("started", n);
    }

    private void add(long at, Random random) {
        World.Person p = writable.get(random.nextInt(writable.size()));
        World.Campaign c = world.campaigns().get(random.nextInt(world.campaigns().size()));
        String id = "bench-" + sequence.incrementAndGet();
        boolean click = random.nextInt(3) == 0;
        generated.put(id, at);
        hubspot.portal().addEmailEvent(new EmailEvent(id, at, click ? "CLICK" : "OPEN", p.email(), c.id(),
                click ? Map.of("url", "https://www.closedloop.example/pricing") : Map.of()));
    }

    /** Sales rejects {@code k} more Leads now; their contacts should hear of it in HubSpot. */
    private Map<String, Object> reject(int k) {
        SalesforceOrg org = salesforce.org();
        List<World.Person> leads = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null)
                .toList();
        int done = 0;
        for (; done < k && nextRejection < leads.size(); done++, nextRejection++) {
            World.Person p = leads.get(nextRejection);
            org.update("Lead", p.sfLeadId(), Map.of("Status", org.profile().rejectedStatus(),
                    "Rejection_Reason__c", org.profile().reasons().get(0), "Rejection_Detail__c", "Budget frozen"));
            rejectedAt.put(p.hubspotContactId(), clock.instant());
        }
        return Map.of("rejected", done);
    }

    /**
     * Activities of the events generated since the last reset (the world's own engagement writes others). Asked every
     * second while the daemon writes, so each activity is looked at once, when first seen: counting all of them every
     * time took a few per cent of the emulators' CPU in a 100,000-event run, on the cores the daemon uses, and held the
     * org's lock while the daemon's writes waited. An activity is only ever written after its event is generated, and
     * the bench deletes none.
     */
    private synchronized long written() {
        seenActivities = salesforce.org().visitAfter("Marketing_Activity__c", seenActivities, r -> {
            if (generatedAt(r) != null) {
                writtenSinceReset++;
            }
        });
        return writtenSinceReset;
    }

    /**
     * The generated event time of an activity's event (its external id's HubSpot event id: what follows the first
     * colon, up to the next one), or null for an activity of another event.
     */
    private Long generatedAt(Map<String, Object> activity) {
        Object key = activity.get("Closedloop_Event_Id__c");
        int colon = key == null ? -1 : key.toString().indexOf(':');
        if (colon < 0) {
            return null;
        }
        String id = key.toString();
        int next = id.indexOf(':', colon + 1);
        return generated.get(next < 0 ? id.substring(colon + 1) : id.substring(colon + 1, next));
    }

    private synchronized Map<String, Object> reset() {
        // what was written before counts no more: its events leave generated below
        writtenSinceReset = 0;
        hubspot.journal().reset();
        salesforce.journal().reset();
        generated.clear();
        rejectedAt.clear();
        cpuAtReset = ProcessMeter.cpuSeconds();
        return Map.of("reset", true);
    }

    private Map<String, Object> stats() {
        List<Long> latencies = new ArrayList<>();
        long firstWrite = Long.MAX_VALUE;
        long lastWrite = 0;
        for (Map<String, Object> r : salesforce.org().all("Marketing_Activity__c")) {
            Long at = generatedAt(r);
            if (at != null) {
                long written = ((Instant) r.get("CreatedDate")).toEpochMilli();
                latencies.add(written - at);
                firstWrite = Math.min(firstWrite, written);
                lastWrite = Math.max(lastWrite, written);
            }
        }
        List<Long> feedback = new ArrayList<>();
        Map<String, Instant> firstSent = new LinkedHashMap<>();
        for (HubSpotPortal.PropertyWrite w : hubspot.portal().propertyWrites()) {
            if (rejectedAt.containsKey(w.contactId()) && w.properties().containsKey("sales_disposition")) {
                firstSent.putIfAbsent(w.contactId(), w.at());
            }
        }
        firstSent.forEach((contact, at) -> feedback.add(Duration.between(rejectedAt.get(contact), at).toMillis()));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("generated", generated.size());
        s.put("emulatorCpuSeconds", ProcessMeter.cpuSeconds() - cpuAtReset);
        s.put("activities", latencies.size());
        s.put("latencyMs", Percentiles.of(latencies));
        s.put("firstWriteMs", latencies.isEmpty() ? 0 : firstWrite);
        s.put("lastWriteMs", lastWrite);
        s.put("rejected", rejectedAt.size());
        s.put("feedbackSent", feedback.size());
        s.put("feedbackLatencyMs", Percentiles.of(feedback));
        s.put("salesforceCalls", salesforce.journal().total());
        s.put("salesforceByEndpoint", byEndpoint(salesforce.journal()));
        s.put("hubspotCalls", hubspot.journal().total());
        s.put("hubspotByEndpoint", byEndpoint(hubspot.journal()));
        s.put("bulkJobs", salesforce.journal().count("salesforce.bulk.create"));
        s.put("salesforceSpans", spans(salesforce.journal(), "salesforce."));
        s.put("hubspotReadSpans", spans(hubspot.journal(), "hubspot.email.events"));
        return s;
    }

    /** When each call to an endpoint starting with {@code prefix} arrived and was answered, in epoch milliseconds. */
    private static List<long[]> spans(CallJournal journal, String prefix) {
        return journal.calls().stream().filter(c -> c.endpoint().startsWith(prefix))
                .map(c -> new long[] {c.began().toEpochMilli(), c.at().toEpochMilli()}).toList();
    }

    private static Map<String, Long> byEndpoint(CallJournal journal) {
        return journal.counts();
    }
}
