package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.closedloop.Closedloop;
import io.closedloop.config.SettingKey;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.core.ActivityType;
import io.closedloop.testsupport.Emulators;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Records Salesforce refuses are parked by the real routes with Salesforce's code and message, and the {@code replay}
 * command writes them exactly once after an admin fixes the org.
 */
class ParkedReplayRouteTest {
    private static final String FLOW = "hubspot-email-events";
    private static final String PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private Path config;
    private long eventSeq;
    private Level rootLevel;
    private Level camelLevel;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        rootLevel = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
        camelLevel = logs.getLogger("org.apache.camel").getLevel();
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        // the command reads the same settings as the daemon, from a --config file
        Properties p = new Properties();
        emulators.env().forEach((k, v) -> p.setProperty(SettingKey.valueOf(k).property(), v));
        config = dir.resolve("replay.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
        // the commands quieten logging for their own output; later tests in this JVM keep theirs
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(rootLevel);
        logs.getLogger("org.apache.camel").setLevel(camelLevel);
    }

    private World.Person contact() {
        return world.people().stream().filter(p -> p.match() == World.Match.CONTACT && p.duplicateSfId() == null).findFirst().orElseThrow();
    }

    /** An email event a minute ago, inside the first poll's window; returns its event id. */
    private String email(World.Person p, String type) {
        long created = clock.instant().minusSeconds(60).toEpochMilli() + eventSeq++;
        String id = "replay-" + eventSeq;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, type, p.email(), world.campaigns().get(0).id(), Map.of()));
        return "email:" + id + ":" + created;
    }

    private long activities(String eventId) {
        return emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c WHERE Closedloop_Event_Id__c = '" + eventId + "'").size();
    }

    private Run closedloop(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Closedloop.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] activityTypesExcept(String dropped) {
        return Arrays.stream(ActivityType.values()).map(ActivityType::label).filter(l -> !l.equals(dropped)).toArray(String[]::new);
    }

    /** The daemon runs with a sound schema; the admin then breaks it, and the next poll meets the refusal. */
    private ParkedRecords.ParkedRecord pollAndPark(Runnable breakTheOrg, String eventId) throws Exception {
        var runtime = emulators.startDaemon();
        runtime.schemaGate().verify();
        breakTheOrg.run();
        emulators.poll(FLOW);
        ParkedRecords.ParkedRecord parked = emulators.startedStore().parked().find(FLOW, eventId).orElseThrow();
        // an operator runs replay next to a daemon on PostgreSQL; with this H2 file, the daemon stops first
        emulators.stopDaemon();
        return parked;
    }

    @Test
    void aBounceRefusedByTheRestrictedPicklistIsParkedAndWrittenOnceByReplayAfterTheAdminRestoresTheValue() throws Exception {
        String bounce = email(contact(), "BOUNCE");
        String open = email(contact(), "OPEN");
        ParkedRecords.ParkedRecord parked = pollAndPark(() -> emulators.salesforce.org()
                .replacePicklistValues("Marketing_Activity__c", "Activity_Type__c", activityTypesExcept("Email Bounce")), bounce);

        assertThat(parked.errorCode()).isEqualTo(PICKLIST);
        assertThat(parked.reason()).contains("bad value for restricted picklist field: Email Bounce");
        assertThat(parked.status()).isEqualTo(ParkedRecords.Status.PARKED);
        assertThat(activities(bounce)).isZero();
        assertThat(activities(open)).as("the rest of the batch went on").isEqualTo(1);

        emulators.salesforce.org().replacePicklistValues("Marketing_Activity__c", "Activity_Type__c", activityTypesExcept(""));

        // a dry run lists the record and calls neither API
        long salesforceCalls = emulators.salesforce.journal().total();
        long hubspotCalls = emulators.hubspot.journal().total();
        Run dry = closedloop("replay", "--code", PICKLIST, "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains(bounce, FLOW + ": would replay 1", "dry run: nothing was sent");
        assertThat(emulators.salesforce.journal().total()).isEqualTo(salesforceCalls);
        assertThat(emulators.hubspot.journal().total()).isEqualTo(hubspotCalls);
        assertThat(activities(bounce)).isZero();

        Run replay = closedloop("replay", "--code", PICKLIST);
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains(FLOW + ": replayed 1, resolved 1, still parked 0");
        assertThat(emulators.hubspot.journal().total()).as("no source polls during a replay").isEqualTo(hubspotCalls);
        assertThat(activities(bounce)).isEqualTo(1);
        assertThat(emulators.salesforce.org().query("SELECT Activity_Type__c FROM Marketing_Activity__c WHERE Closedloop_Event_Id__c = '"
                + bounce + "'").get(0).get("Activity_Type__c")).isEqualTo("Email Bounce");
        assertThat(activities(open)).isEqualTo(1);

        // replaying again selects nothing and calls nothing; asking for the resolved record by id skips it
        salesforceCalls = emulators.salesforce.journal().total();
        Run again = closedloop("replay", "--code", PICKLIST);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("Nothing to replay");
        assertThat(emulators.salesforce.journal().total()).isEqualTo(salesforceCalls);
        Run byId = closedloop("replay", "--id", Long.toString(parked.id()));
        assertThat(byId.exit()).as(byId.err()).isZero();
        assertThat(byId.out()).contains("skipped record " + parked.id()).contains("already resolved");
        assertThat(activities(bounce)).isEqualTo(1);

        emulators.startDaemon();
        assertThat(emulators.startedStore().parked().byId(parked.id())).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(ParkedRecords.Status.RESOLVED);
            assertThat(r.attempts()).isEqualTo(1);
        });
        assertThat(emulators.startedStore().ledger().find(bounce)).isPresent();
    }

    @Test
    void aValueTooLongForAShortenedFieldIsParkedAndStaysParkedUntilTheFieldIsLongEnough() throws Exception {
        String click = email(contact(), "CLICK");
        String campaign = world.campaigns().get(0).name();
        assertThat(campaign).hasSizeGreaterThan(5);
        ParkedRecords.ParkedRecord parked = pollAndPark(() -> emulators.salesforce.org().setLength("Marketing_Activity__c", "Asset_Name__c", 5),
                click);

        assertThat(parked.errorCode()).isEqualTo("STRING_TOO_LONG");
        assertThat(parked.reason()).contains("Asset: data value too large: " + campaign + " (max length=5)");
        assertThat(activities(click)).isZero();

        // replayed before the fix: Salesforce refuses again, the record stays parked with one more attempt
        Run early = closedloop("replay", "--code", "STRING_TOO_LONG");
        assertThat(early.exit()).as(early.out() + early.err()).isZero();
        assertThat(early.out()).contains(FLOW + ": replayed 1, resolved 0, still parked 1");
        assertThat(activities(click)).isZero();

        emulators.salesforce.org().setLength("Marketing_Activity__c", "Asset_Name__c", 255);
        Run replay = closedloop("replay", "--flow", FLOW, "--reason", "data value too large");
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains(FLOW + ": replayed 1, resolved 1, still parked 0");
        assertThat(activities(click)).isEqualTo(1);
        assertThat(closedloop("replay", "--code", "STRING_TOO_LONG").out()).contains("Nothing to replay");
        assertThat(activities(click)).isEqualTo(1);

        emulators.startDaemon();
        assertThat(emulators.startedStore().parked().byId(parked.id())).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(ParkedRecords.Status.RESOLVED);
            assertThat(r.attempts()).isEqualTo(2);
        });
    }
}
