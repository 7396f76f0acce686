package io.closedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.Closedloop;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.testsupport.Emulators;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The commands that fit Closedloop to an org no one configured for it, against both emulators: {@code validate} and
 * {@code run} refuse a disposition mapping naming Lead statuses the org does not have, naming each key and value and
 * listing the org's statuses, and write nothing.
 */
class OrgFitCommandsRouteTest {
    private static final String SOURCE = "salesforce-dispositions";
    static final String MODERN_STATUSES = "its statuses are: New, Working, Nurturing, Qualified, Unqualified";

    @TempDir
    Path dir;

    private final Map<String, String> originalEnvironment = ConfigOption.environment;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Emulators emulators;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        ConfigOption.environment = originalEnvironment;
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        emulators.close();
    }

    private int execute(Map<String, String> env, String... args) {
        ConfigOption.environment = env;
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Closedloop.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Map<String, String> shippedMapping() {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", Path.of("config", "dispositions.properties").toAbsolutePath().toString());
        return env;
    }

    @Test
    void validateAndRunRefuseTheShippedMappingOnTheModernOrgNamingEveryUnknownStatusAndWriteNothing() {
        emulators.salesforce.org().useProfile(SalesforceOrgProfile.MODERN);

        for (String command : new String[] {"validate", "run"}) {
            int exit = execute(shippedMapping(), command);
            assertThat(exit).as(command + ": " + err).isEqualTo(2);
            assertThat(err.toString()).as(command)
                    .contains("status.working: \"Working - Contacted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.rejected: \"Closed - Not Converted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.converted: \"Closed - Converted\" is not a Lead Status of this org; " + MODERN_STATUSES)
                    .contains("status.none: \"Open - Not Contacted\" is not a Lead Status of this org; " + MODERN_STATUSES);
            assertThat(err.toString().lines().filter(l -> l.contains("is not a Lead Status of this org"))).as(command).hasSize(4);
        }
        assertThat(emulators.writeCalls()).isEmpty();
    }

    @Test
    void theShippedMappingPassesOnTheClassicOrg() {
        int exit = execute(shippedMapping(), "validate");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ok: disposition mapping fits the org's 4 Lead statuses")
                .contains("HubSpot has no sales_rejection_reason property yet");
        assertThat(emulators.writeCalls()).isEmpty();
    }

    @Test
    void validateWarnsOfStatusesNoKeyMapsAndExitsZero() throws Exception {
        emulators.salesforce.org().useProfile(SalesforceOrgProfile.MODERN);
        Path mapping = Files.writeString(dir.resolve("modern.properties"), String.join("\n", "status.working=Working",
                "status.rejected=Unqualified", "status.converted=Qualified", "status.none=New", ""));
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", mapping.toString());
        int exit = execute(env, "validate");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("warning: Lead Status \"Nurturing\" is in no status.* key")
                .doesNotContain("Lead Status \"Working\" is in no");
    }

    @Test
    void validateAndPlanShowTheSqlDefinitionAndAnUnreachableOneStopsValidateAndRunNamingSqlOn() throws Exception {
        World world = seed(SalesforceOrgProfile.CLASSIC);
        assertThat(execute(shippedMapping(), "validate")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("SQL definition: sql.on=working,converted: a Lead becomes sales-qualified when working "
                + "(Lead Status Working - Contacted) or converted or Lead Status Closed - Converted");

        Path unreachable = Files.writeString(dir.resolve("sql-accepted.properties"), "sql.on=accepted,working\n");
        for (String command : new String[] {"validate", "run"}) {
            assertThat(execute(withMapping(unreachable), command)).as(command + ": " + err).isEqualTo(2);
            assertThat(err.toString()).as(command).contains("sql.on: \"accepted\" is reached by no Lead Status of this org");
        }
        assertThat(emulators.writeCalls()).isEmpty();

        Path file = Path.of("config", "dispositions.properties").toAbsolutePath();
        emulators.startDaemon(withMapping(file), Map.of());
        emulators.poll(SOURCE);
        List<World.Person> people = leads(world, 3);
        people.subList(0, 2).forEach(p -> emulators.salesforce.org().update("Lead", p.sfLeadId(), Map.of("Status", "Working - Contacted")));
        emulators.stopDaemon();
        assertThat(execute(withMapping(file), "plan", "--json")).as(err.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString()).path("salesforce-dispositions");
        assertThat(plan.path("sqlMoments").asInt()).isEqualTo(2);
        assertThat(plan.path("sqlDefinition").asText()).startsWith("sql.on=working,converted");
        emulators.startDaemon(withMapping(file), Map.of());
        emulators.poll(SOURCE);
        assertThat(emulators.startedStore().sqlMoments().since(java.time.Instant.EPOCH)).hasSize(plan.path("sqlMoments").asInt());
    }

    private World seed(SalesforceOrgProfile profile) {
        emulators.salesforce.org().useProfile(profile);
        return WorldSeeder.seed(WorldConfig.defaults().withCompanies(8), emulators.salesforce.org(), emulators.hubspot.portal(),
                Clock.systemUTC());
    }

    private List<World.Person> leads(World world, int n) {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).limit(n).toList();
    }

    private Map<String, String> withMapping(Path file) {
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", file.toString());
        return env;
    }

    @ParameterizedTest
    @EnumSource(SalesforceOrgProfile.class)
    void initWritesAMappingThatPassesValidateAndSendsEveryRejectionToHubSpot(SalesforceOrgProfile profile) throws Exception {
        World world = seed(profile);
        // a new user points the setting at where the mapping will live; init creates it there
        Path file = dir.resolve("proposed.properties");
        int exit = execute(withMapping(file), "init");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote: " + file).doesNotContain("@");
        assertThat(Files.readString(file)).contains("# \"" + profile.rejectedStatus() + "\" -> status.rejected: ");
        assertThat(emulators.writeCalls()).isEmpty();

        assertThat(execute(withMapping(file), "validate")).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("is in no status.* key");

        // init never overwrites without --force
        Files.writeString(file, Files.readString(file) + "# edited by hand\n");
        assertThat(execute(withMapping(file), "init", "--output", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--force");
        assertThat(Files.readString(file)).endsWith("# edited by hand\n");

        emulators.startDaemon(withMapping(file), Map.of());
        emulators.poll(SOURCE);
        List<World.Person> rejected = leads(world, 3);
        List<String> reasons = profile.reasons();
        for (int i = 0; i < rejected.size(); i++) {
            String reason = reasons.get(i % reasons.size());
            emulators.salesforce.org().update("Lead", rejected.get(i).sfLeadId(), Map.of("Status", profile.rejectedStatus(),
                    "Rejection_Reason__c", reason, "Rejection_Detail__c", profile.rejections().get(reason).get(0)));
        }
        emulators.poll(SOURCE);
        for (World.Person p : rejected) {
            assertThat(emulators.hubspot.portal().contact(p.hubspotContactId())).containsEntry("sales_disposition", "rejected")
                    .containsKey("sales_rejection_reason");
            assertThat(emulators.hubspot.portal().notes()).filteredOn(n -> n.contactIds().contains(p.hubspotContactId())).hasSize(1);
        }
    }

    @Test
    void planCountsWhatTheFollowingRunWritesAndWritesNothing() throws Exception {
        World world = seed(SalesforceOrgProfile.MODERN);
        Path file = Files.writeString(dir.resolve("modern.properties"), String.join("\n", "status.working=Working",
                "status.rejected=Unqualified", "status.converted=Qualified", "status.none=New",
                "rejection.unmapped-status-with-reason=park", ""));
        var org = emulators.salesforce.org();
        emulators.startDaemon(withMapping(file), Map.of());
        emulators.poll(SOURCE);
        List<World.Person> people = leads(world, 6);
        for (int i = 0; i < 3; i++) {
            org.update("Lead", people.get(i).sfLeadId(), Map.of("Status", "Unqualified", "Rejection_Reason__c", "Competitor",
                    "Rejection_Detail__c", "Already rolling out a competitor's suite"));
        }
        org.update("Lead", people.get(3).sfLeadId(), Map.of("Status", "Working"));
        // Nurturing is in no key and the rule for reasons is off: parked as UNMAPPED_STATUS
        org.update("Lead", people.get(4).sfLeadId(), Map.of("Status", "Nurturing"));
        // no HubSpot contact has this email: parked as AWAITING_CONTACT
        org.insert("Lead", Map.of("LastName", "Nobody", "Company", "Elsewhere", "Email", "plan-nobody@elsewhere.example",
                "Status", "Unqualified", "Rejection_Reason__c", "No Budget"));
        emulators.stopDaemon();
        emulators.hubspot.journal().reset();
        emulators.salesforce.journal().reset();
        // a daemon still running beside the plan: its run in flight must stay RUNNING
        String url = withMapping(file).get("CLOSEDLOOP_DB_URL");
        long live;
        try (var store = io.closedloop.state.StateStore.open(url, "sa", "", Clock.systemUTC())) {
            live = store.runs().start("live-daemon-poll");
        }

        int exit = execute(withMapping(file), "plan", "--json", "--sample", "2");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(emulators.writeCalls()).isEmpty();
        JsonNode plan = new ObjectMapper().readTree(out.toString()).path("salesforce-dispositions");
        assertThat(plan.path("sent").asInt()).isEqualTo(4);
        // the first poll's reach (CLOSEDLOOP_START_FROM, default 1h) is part of the plan
        assertThat(new ObjectMapper().readTree(out.toString()).path("startFrom").asText()).startsWith("PT1H (a source's first poll starts at ");
        assertThat(out.toString()).doesNotContain("@");
        assertThat(execute(withMapping(file), "plan", "--sample", "1")).isZero();
        assertThat(out.toString()).contains("CLOSEDLOOP_START_FROM: PT1H", "salesforce-dispositions (Flow 2)", "would send 4 dispositions to HubSpot", "1 UNMAPPED_STATUS",
                "1 AWAITING_CONTACT", "hubspot-email-events (Flow 1)", "API calls, salesforce:", "dry run: nothing").doesNotContain("@");
        assertThat(emulators.writeCalls()).isEmpty();
        try (var store = io.closedloop.state.StateStore.open(url, "sa", "", Clock.systemUTC())) {
            assertThat(store.runs().recent("live-daemon-poll", 1)).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(io.closedloop.state.SyncRuns.Status.RUNNING));
        }
        // the command quietens logging for its own output; the run below is read from its log
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger writerLog = (Logger) LoggerFactory.getLogger(HubSpotDispositionWriter.class);
        writerLog.addAppender(log);
        int notesBefore = emulators.hubspot.portal().notes().size();
        try {
            emulators.startDaemon(withMapping(file), Map.of());
            emulators.poll(SOURCE);
        } finally {
            writerLog.detachAppender(log);
        }
        String line = log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("dispositions to HubSpot"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(line).contains("sent " + plan.path("sent").asInt() + " dispositions to HubSpot (" + plan.path("notes").asInt() + " notes), "
                + plan.path("unchanged").asInt() + " unchanged, 0 parked, " + plan.path("unmappedStatus").asInt() + " unmapped status, "
                + plan.path("parked").path("AWAITING_CONTACT").asInt() + " awaiting");
        assertThat(emulators.hubspot.portal().notes().size() - notesBefore).isEqualTo(plan.path("notes").asInt()).isEqualTo(3);
        var parked = emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(SOURCE), 10);
        assertThat(parked).filteredOn(r -> r.errorCode().equals("UNMAPPED_STATUS")).hasSize(plan.path("parked").path("UNMAPPED_STATUS").asInt())
                .hasSize(1);
        assertThat(parked).filteredOn(r -> r.errorCode().equals("AWAITING_CONTACT"))
                .hasSize(plan.path("parked").path("AWAITING_CONTACT").asInt()).hasSize(1);
        assertThat(emulators.hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(plan.path("propertyUpdates").asInt() > 0 ? 1 : 0);
    }

    @Test
    void planCountsWhatTheFollowingEngagementPollWritesAndParks() throws Exception {
        World world = seed(SalesforceOrgProfile.CLASSIC);
        long now = System.currentTimeMillis();
        List<World.Person> known = world.people().stream().filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null)
                .limit(3).toList();
        for (int i = 0; i < known.size(); i++) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("plan-k" + i, now - 120_000 + i, "CLICK", known.get(i).email(),
                    world.campaigns().get(0).id(), Map.of()));
        }
        for (int i = 0; i < 2; i++) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("plan-u" + i, now - 100_000 + i, "OPEN",
                    "plan-unknown-" + i + "@nowhere.example", world.campaigns().get(0).id(), Map.of()));
        }
        Path file = Path.of("config", "dispositions.properties").toAbsolutePath();

        int exit = execute(withMapping(file), "plan", "--json");
        assertThat(exit).as(err.toString()).isZero();
        io.closedloop.log.LogSetup.configure(io.closedloop.config.ClosedloopSettings.LogFormat.PLAIN);
        assertThat(emulators.writeCalls()).isEmpty();
        assertThat(emulators.salesforce.org().all("Marketing_Activity__c")).isEmpty();
        JsonNode plan = new ObjectMapper().readTree(out.toString()).path("engagement").path("hubspot-email-events");
        int activities = plan.path("activities").asInt();
        int unmatched = plan.path("parked").path("UNMATCHED").asInt();
        assertThat(activities).isGreaterThanOrEqualTo(known.size());
        assertThat(unmatched).isGreaterThanOrEqualTo(2);

        emulators.startDaemon(withMapping(file), Map.of());
        emulators.poll("hubspot-email-events");
        var run = emulators.startedStore().runs().recent("hubspot-email-events", 1).get(0);
        assertThat(run.counts().written()).isEqualTo(activities);
        assertThat(run.counts().parked()).isEqualTo(plan.path("parked").path("UNMATCHED").asInt()
                + plan.path("parked").path("DUPLICATE_EMAIL").asInt() + plan.path("parked").path("INVALID_EMAIL").asInt());
        assertThat(emulators.salesforce.org().all("Marketing_Activity__c")).hasSize(activities);
    }
}
