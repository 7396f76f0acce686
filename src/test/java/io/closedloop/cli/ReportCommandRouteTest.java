package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.Closedloop;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.SalesTeamSimulator;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The funnel report over a seeded world: MQLs come through Flow 1, the simulated sales team accepts, rejects and converts
 * them, Flow 2 sends the verdicts, SQL moments and won revenue back; then {@code closedloop report} and
 * {@code GET /observe/report} must give the counts, rates and medians this test computes on its own from the emulator's
 * Salesforce records (with the shipped mapping: working and converted are SQLs, Working - Contacted is accepted).
 */
class ReportCommandRouteTest {
    private static final String TOKEN = "ops-token-for-the-funnel-report-0123";
    private static final List<String> SOURCES = List.of("Web", "Partner Referral", "Phone Inquiry");

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private SalesforceOrg org;
    private World world;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        org = emulators.salesforce.org();
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(20), org, emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        ConfigOption.environment = System.getenv();
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        emulators.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_OPS_TOKEN", TOKEN);
        env.put("CLOSEDLOOP_DISPOSITION_FILE", Path.of("config", "dispositions.properties").toAbsolutePath().toString());
        return env;
    }

    private int execute(String... args) {
        ConfigOption.environment = env();
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Seeds the sales side and runs the real flows over it. */
    private void runTheWorld() throws Exception {
        List<World.Person> leads = world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).toList();
        for (int i = 0; i < leads.size(); i++) {
            org.update("Lead", leads.get(i).sfLeadId(), Map.of("LeadSource", SOURCES.get(i % SOURCES.size())));
        }
        // campaign touches for first-touch campaign grouping and attribution
        for (int i = 0; i < leads.size(); i++) {
            World.Campaign campaign = world.campaigns().get(i % world.campaigns().size());
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("r-" + i, clock.millis() - 120_000 + i, "CLICK", leads.get(i).email(),
                    campaign.id(), Map.of()));
        }
        emulators.startDaemon(env(), Map.of());
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-contact-changes");
        // a few more MQLs through Flow 1: HubSpot moves them, Closedloop writes the moment to Salesforce
        leads.stream().filter(p -> org.get("Lead", p.sfLeadId()).get("MQL_At__c") == null).limit(4).forEach(p ->
                emulators.hubspot.portal().updateContact(p.hubspotContactId(), Map.of("lifecyclestage", "marketingqualifiedlead")));
        Thread.sleep(5);
        emulators.poll("hubspot-contact-changes");
        emulators.poll("salesforce-dispositions");
        var team = new SalesTeamSimulator(org, clock, 11L, new SalesTeamSimulator.Config(0.25, 0.25, 0.45, Duration.ZERO, Duration.ofMillis(1), 0.5));
        Thread.sleep(5);
        team.work();
        emulators.poll("salesforce-dispositions");
        Thread.sleep(5);
        team.work();
        emulators.poll("salesforce-dispositions");
        emulators.poll("sla-watch");
        assertThat(team.counts().converted()).as("the seed converts some MQLs: " + team.counts()).isPositive();
        assertThat(team.counts().rejected()).as("the seed rejects some MQLs: " + team.counts()).isPositive();
    }

    /** The funnel counted straight from the emulator's records, per lead source, and "all". */
    private Map<String, Map<String, Long>> expectedCounts(Instant from) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        Set<String> sqlContacts = new java.util.HashSet<>();
        org.query("SELECT Id, SQL_At__c FROM Contact").stream().filter(c -> c.get("SQL_At__c") != null).forEach(c -> sqlContacts.add((String) c.get("Id")));
        Map<String, Map<String, Object>> opportunities = new LinkedHashMap<>();
        org.query("SELECT Id, IsClosed, IsWon FROM Opportunity").forEach(o -> opportunities.put((String) o.get("Id"), o));
        for (Map<String, Object> l : org.query("SELECT Id, CreatedDate, LeadSource, Status, IsConverted, ConvertedContactId, "
                + "ConvertedOpportunityId, MQL_At__c, SQL_At__c FROM Lead")) {
            if (((Instant) l.get("CreatedDate")).isBefore(from)) {
                continue;
            }
            boolean converted = Boolean.TRUE.equals(l.get("IsConverted"));
            Map<String, Object> opp = opportunities.get((String) l.get("ConvertedOpportunityId"));
            Map<String, Long> row = new LinkedHashMap<>();
            row.put("leads", 1L);
            row.put("mqls", l.get("MQL_At__c") != null ? 1L : 0L);
            row.put("accepted", converted || Set.of("Working - Contacted", "Closed - Converted").contains(l.get("Status")) ? 1L : 0L);
            row.put("sqls", l.get("SQL_At__c") != null || converted && sqlContacts.contains(l.get("ConvertedContactId")) ? 1L : 0L);
            row.put("opportunities", opp != null ? 1L : 0L);
            row.put("won", opp != null && Boolean.TRUE.equals(opp.get("IsClosed")) && Boolean.TRUE.equals(opp.get("IsWon")) ? 1L : 0L);
            row.put("lost", opp != null && Boolean.TRUE.equals(opp.get("IsClosed")) && !Boolean.TRUE.equals(opp.get("IsWon")) ? 1L : 0L);
            for (String group : List.of("all", (String) l.get("LeadSource"))) {
                row.forEach((k, v) -> out.computeIfAbsent(group, g -> new LinkedHashMap<>()).merge(k, v, Long::sum));
            }
        }
        return out;
    }

    private static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> s = values.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : Math.floorDiv(s.get(s.size() / 2 - 1) + s.get(s.size() / 2), 2);
    }

    private void assertFunnel(JsonNode report, Instant from) {
        Map<String, Map<String, Long>> expected = expectedCounts(from);
        assertThat(expected.get("all").get("sqls")).as("the world has SQLs").isPositive();
        List<String> groups = new ArrayList<>();
        report.path("funnel").forEach(g -> groups.add(g.path("group").asText()));
        assertThat(groups).containsExactlyInAnyOrderElementsOf(expected.keySet());
        String[] steps = {"leads", "mqls", "accepted", "sqls", "opportunities", "won", "lost"};
        for (JsonNode g : report.path("funnel")) {
            Map<String, Long> want = expected.get(g.path("group").asText());
            Map<String, JsonNode> got = new LinkedHashMap<>();
            g.path("steps").forEach(s -> got.put(s.path("step").asText(), s));
            for (int i = 0; i < steps.length; i++) {
                assertThat(got.get(steps[i]).path("count").asLong()).as(g.path("group").asText() + " " + steps[i]).isEqualTo(want.get(steps[i]));
                if (i > 0) {
                    long of = want.get(steps[i].equals("won") || steps[i].equals("lost") ? "opportunities" : steps[i - 1]);
                    JsonNode rate = got.get(steps[i]).path("rate");
                    if (of == 0) {
                        assertThat(rate.isNull()).as(g.path("group").asText() + " " + steps[i] + " rate").isTrue();
                    } else {
                        assertThat(rate.asDouble()).as(g.path("group").asText() + " " + steps[i] + " rate")
                                .isCloseTo((double) want.get(steps[i]) / of, within(0.0001));
                    }
                }
            }
        }
        // the MQL step's median: from the Lead's creation to its MQL moment, over the leads that have both in that order
        List<Long> toMql = new ArrayList<>();
        for (Map<String, Object> l : org.query("SELECT Id, CreatedDate, MQL_At__c FROM Lead")) {
            Instant created = (Instant) l.get("CreatedDate");
            Instant mql = (Instant) l.get("MQL_At__c");
            if (!created.isBefore(from) && mql != null && !mql.isBefore(created)) {
                toMql.add(Duration.between(created, mql).toSeconds());
            }
        }
        JsonNode all = report.path("funnel").get(0);
        assertThat(all.path("group").asText()).isEqualTo("all");
        Long median = median(toMql);
        JsonNode mqlMedian = all.path("steps").get(1).path("medianSeconds");
        assertThat(mqlMedian.isNull() ? null : mqlMedian.asLong()).isEqualTo(median);
    }

    /** Rejections counted from the Leads sales rejected: by reason and lead source. */
    private Map<String, Long> expectedRejections() {
        Map<String, Long> out = new TreeMap<>();
        org.query("SELECT Id, LeadSource, Rejection_Reason__c FROM Lead WHERE Status = 'Closed - Not Converted'")
                .forEach(l -> out.merge(l.get("Rejection_Reason__c") + " | " + l.get("LeadSource"), 1L, Long::sum));
        return out;
    }

    private static Map<String, Long> rejections(JsonNode report) {
        Map<String, Long> out = new TreeMap<>();
        report.path("rejectionsBySource").forEach(r -> out.put(r.path("reason").asText() + " | " + r.path("group").asText(), r.path("count").asLong()));
        return out;
    }

    @Test
    void theReportOverASeededWorldGivesTheCountsAndRatesOfTheEmulatorsRecords() throws Exception {
        Instant from = clock.instant().minus(Duration.ofDays(1));
        runTheWorld();

        // the ops API, with the token; without it, nothing
        int port = emulators.runtime().settings().httpPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/report")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/report?period=1d&by=source"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        JsonNode fromApi = new ObjectMapper().readTree(api.body());
        assertFunnel(fromApi, from);
        assertThat(rejections(fromApi)).isEqualTo(expectedRejections()).isNotEmpty();
        assertThat(api.body()).doesNotContain("@");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/report?by=weather"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("source, campaign, owner");
        emulators.stopDaemon();

        long salesforceCalls = emulators.salesforce.journal().total();
        assertThat(execute("report", "--period", "1d", "--by", "source", "--format", "json")).as(err.toString()).isZero();
        JsonNode fromCli = new ObjectMapper().readTree(out.toString());
        assertFunnel(fromCli, from);
        assertThat(rejections(fromCli)).isEqualTo(expectedRejections());
        // a few batched reads: the login, one Composite of Lead queries, one of opportunity queries
        assertThat(emulators.salesforce.journal().total() - salesforceCalls).isLessThanOrEqualTo(6);

        // won revenue: each model shares out exactly the amounts of the won opportunities
        BigDecimal won = org.query("SELECT Id, Amount, IsWon FROM Opportunity").stream().filter(o -> Boolean.TRUE.equals(o.get("IsWon")))
                .map(o -> (BigDecimal) o.get("Amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
        for (String model : List.of("first_touch", "last_touch", "linear")) {
            BigDecimal sum = BigDecimal.ZERO;
            for (JsonNode r : fromCli.path("wonRevenue")) {
                if (r.path("model").asText().equals(model)) {
                    sum = sum.add(r.path("amount").decimalValue());
                }
            }
            assertThat(sum).as(model).isEqualByComparingTo(won);
        }
        JsonNode sla = fromCli.path("handOffSla");
        assertThat(sla.path("started").asLong()).isEqualTo(sla.path("met").asLong() + sla.path("breached").asLong() + sla.path("running").asLong());

        // the same data as a table and as CSV
        assertThat(execute("report", "--period", "1d", "--format", "csv")).as(err.toString()).isZero();
        String csv = out.toString();
        assertThat(csv.lines().findFirst()).contains("section,group,name,value");
        assertThat(csv).contains("funnel,all,sqls," + expectedCounts(from).get("all").get("sqls"));
        assertThat(execute("report", "--period", "1d", "--by", "campaign")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Funnel of the leads created in the last 1d", "Hand-off SLA", "Rejections by reason and lead source",
                "Won revenue by campaign").doesNotContain("@");
        assertThat(execute("report", "--by", "weather")).isEqualTo(2);
        assertThat(err.toString()).contains("--by");
    }
}
