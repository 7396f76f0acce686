package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.closedloop.Closedloop;
import io.closedloop.config.SettingKey;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns and lead lists for sales through the real YAML routes against both emulators: a HubSpot list in
 * CLOSEDLOOP_CAMPAIGN_SYNC becomes one Salesforce Campaign whose CampaignMembers are the list's Leads and Contacts,
 * their status following the engagement Flow 1 wrote (salesforce-api.md §7.5, second-batch-notes §3).
 */
class CampaignsToSalesforceRouteTest {
    private static final String FLOW = "salesforce-campaigns";
    private static final String MEMBER_UPSERTS = "salesforce.collections.upsert CampaignMember";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private HubSpotPortal portal;
    private SalesforceOrg org;
    private World.MarketingList list;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(25), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        portal = emulators.hubspot.portal();
        org = emulators.salesforce.org();
        list = world.lists().get(0);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private List<World.Person> people(World.Match match, int n) {
        return world.people().stream().filter(p -> p.match() == match && p.duplicateSfId() == null).limit(n).toList();
    }

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> extra) throws Exception {
        Path notes = dir.resolve("campaigns.properties");
        Files.writeString(notes, "list." + list.id() + ".offer=Pipeline hygiene webinar\n"
                + "list." + list.id() + ".link=https://www.example.com/webinar\n"
                + "list." + list.id() + ".talking-points=Ask how they forecast today\n"
                + "list." + list.id() + ".type=Webinar\n");
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_CAMPAIGN_SYNC", list.id());
        env.put("CLOSEDLOOP_CAMPAIGN_NOTES_FILE", notes.toString());
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "1s");
        env.putAll(extra);
        emulators.startDaemon(env, Map.of());
    }

    private Map<String, Object> campaign() {
        List<Map<String, Object>> found = org.query("SELECT Id, Name, Type, Description, IsActive FROM Campaign WHERE Closedloop_Campaign_Key__c = '"
                + "list:" + list.id() + "'");
        assertThat(found).singleElement();
        return found.get(0);
    }

    /** Person id to status, of every CampaignMember of the list's Campaign. */
    private Map<String, String> members() {
        List<Map<String, Object>> rows = org.query("SELECT LeadId, ContactId, Status, HasResponded FROM CampaignMember WHERE CampaignId = '"
                + campaign().get("Id") + "'");
        Map<String, String> out = rows.stream().collect(Collectors.toMap(r -> String.valueOf(r.get("LeadId") != null ? r.get("LeadId")
                : r.get("ContactId")), r -> (String) r.get("Status")));
        // one member per person: the map would have thrown on a second
        assertThat(out).hasSize(rows.size());
        return out;
    }

    /** A time the email source's next window holds: past its settle time, within its overlap. */
    private long settled() {
        return clock.instant().minusSeconds(6).toEpochMilli();
    }

    private long memberUpserts() {
        return emulators.salesforce.compositeSubrequests().getOrDefault(MEMBER_UPSERTS, 0L);
    }

    @Test
    void listMembersBecomeCampaignMembersOnceAcrossARestartAndASecondRunWritesNothing() throws Exception {
        List<World.Person> leads = people(World.Match.LEAD, 2);
        List<World.Person> contacts = people(World.Match.CONTACT, 2);
        World.Person unknown = people(World.Match.UNKNOWN, 1).get(0);
        Instant joined = clock.instant().minus(Duration.ofMinutes(10));
        for (World.Person p : List.of(leads.get(0), leads.get(1), contacts.get(0), contacts.get(1), unknown)) {
            portal.addListMember(list.id(), p.hubspotContactId(), joined);
        }
        start();
        emulators.poll(FLOW);

        Map<String, Object> campaign = campaign();
        assertThat(campaign.get("Name")).isEqualTo(list.name());
        assertThat(campaign.get("Type")).isEqualTo("Webinar");
        assertThat((String) campaign.get("Description")).contains("Offer: Pipeline hygiene webinar", "Link: https://www.example.com/webinar",
                "Talking points: Ask how they forecast today");
        assertThat(members()).containsOnly(Map.entry(leads.get(0).sfId(), "Sent"), Map.entry(leads.get(1).sfId(), "Sent"),
                Map.entry(contacts.get(0).sfId(), "Sent"), Map.entry(contacts.get(1).sfId(), "Sent"));
        // the campaign's statuses: Salesforce's two defaults plus Closedloop's, each created once, HasResponded only on Responded
        Map<Object, Object> statuses = org.query("SELECT Label, HasResponded, IsDefault FROM CampaignMemberStatus WHERE CampaignId = '"
                + campaign.get("Id") + "'").stream().collect(Collectors.toMap(s -> s.get("Label"), s -> s.get("HasResponded")));
        assertThat(statuses).containsOnly(Map.entry("Sent", false), Map.entry("Responded", true), Map.entry("Opened", false),
                Map.entry("Clicked", false), Map.entry("Left List", false));
        // the unknown person waits, parked with the reason, as in Flow 1
        assertThat(emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(FLOW), 10)).singleElement()
                .satisfies(r -> {
                    assertThat(r.errorCode()).isEqualTo(ParkedRecords.UNMATCHED);
                    assertThat(r.recordKey()).isEqualTo("list:" + list.id() + ":" + unknown.hubspotContactId());
                });
        // four members, one Collections upsert, inside one Composite call
        assertThat(memberUpserts()).isEqualTo(1);

        long salesforceCalls = emulators.salesforce.journal().total();
        emulators.poll(FLOW);
        // a second run writes nothing and asks Salesforce nothing: no change, and the unmatched wait is not over
        assertThat(emulators.salesforce.journal().total()).isEqualTo(salesforceCalls);

        emulators.stopDaemon();
        start();
        emulators.poll(FLOW);
        assertThat(memberUpserts()).isEqualTo(1);
        assertThat(members()).hasSize(4);
        assertThat(org.query("SELECT Id FROM Campaign WHERE Closedloop_Campaign_Key__c != null")).hasSize(1);
        assertThat(org.query("SELECT Id FROM CampaignMemberStatus WHERE CampaignId = '" + campaign.get("Id") + "'")).hasSize(5);
    }

    @Test
    void memberStatusFollowsEngagementAndNeverMovesBackwards() throws Exception {
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        World.Person contact = people(World.Match.CONTACT, 1).get(0);
        Instant joined = clock.instant().minus(Duration.ofMinutes(20));
        portal.addListMember(list.id(), lead.hubspotContactId(), joined);
        portal.addListMember(list.id(), contact.hubspotContactId(), joined);
        // engagement before joining does not count for this campaign
        long campaignId = world.campaigns().get(0).id();
        portal.addEmailEvent(new EmailEvent("early-click", joined.minusSeconds(60).toEpochMilli(), "CLICK", contact.email(), campaignId, Map.of()));
        start();
        emulators.poll("hubspot-email-events");
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"), Map.entry(contact.sfId(), "Sent"));

        portal.addEmailEvent(new EmailEvent("click-1", settled(), "CLICK", lead.email(), campaignId, Map.of()));
        portal.addEmailEvent(new EmailEvent("open-1", settled(), "OPEN", contact.email(), campaignId, Map.of()));
        emulators.poll("hubspot-email-events");
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Clicked"), Map.entry(contact.sfId(), "Opened"));

        // an open after a click leaves the lead at Clicked
        portal.addEmailEvent(new EmailEvent("open-2", settled(), "OPEN", lead.email(), campaignId, Map.of()));
        emulators.poll("hubspot-email-events");
        long upserts = memberUpserts();
        emulators.poll(FLOW);
        assertThat(members()).containsEntry(lead.sfId(), "Clicked");
        assertThat(memberUpserts()).isEqualTo(upserts);

        World.Form form = world.forms().get(0);
        portal.addFormSubmission(form.guid(), settled(), form.pageUrl(), Map.of("email", contact.email(), "firstname", "A"));
        emulators.poll("hubspot-form-submissions");
        emulators.poll(FLOW);
        assertThat(members()).containsEntry(contact.sfId(), "Responded");
        assertThat(org.query("SELECT HasResponded FROM CampaignMember WHERE ContactId = '" + contact.sfId() + "'"))
                .singleElement().satisfies(r -> assertThat(r.get("HasResponded")).isEqualTo(true));
    }

    @Test
    void aMemberWhoLeavesTheListGetsTheLeftListStatusAndComesBackOnRejoining() throws Exception {
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        portal.addListMember(list.id(), lead.hubspotContactId(), clock.instant().minus(Duration.ofMinutes(10)));
        start();
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"));

        portal.removeListMember(list.id(), lead.hubspotContactId());
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Left List"));
        long upserts = memberUpserts();
        emulators.poll(FLOW);
        assertThat(memberUpserts()).isEqualTo(upserts);

        portal.addListMember(list.id(), lead.hubspotContactId(), clock.instant());
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"));
    }

    @Test
    void withAllEmailCampaignsEachMarketingEmailIsACampaignOfItsRecipientsWhoseOpensCountOnlyForIt() throws Exception {
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        World.Person contact = people(World.Match.CONTACT, 1).get(0);
        World.Person unknown = people(World.Match.UNKNOWN, 1).get(0);
        World.Campaign email = world.campaigns().get(0);
        World.Campaign other = world.campaigns().get(1);
        long sent = clock.instant().minus(Duration.ofMinutes(3)).toEpochMilli();
        for (World.Person p : List.of(lead, contact, unknown)) {
            portal.addEmailEvent(new EmailEvent("sent-" + p.hubspotContactId(), sent, "SENT", p.email(), email.id(), Map.of()));
        }
        portal.addEmailEvent(new EmailEvent("open-lead", sent + 60_000, "OPEN", lead.email(), email.id(), Map.of()));
        // a click on another email says nothing about this one
        portal.addEmailEvent(new EmailEvent("click-other", sent + 61_000, "CLICK", contact.email(), other.id(), Map.of()));
        start(Map.of("CLOSEDLOOP_CAMPAIGN_SYNC", "all-email-campaigns"));
        emulators.poll("hubspot-email-events");
        emulators.poll(FLOW);

        List<Map<String, Object>> campaigns = org.query("SELECT Id, Name, Type, Description FROM Campaign WHERE Closedloop_Campaign_Key__c = 'email:"
                + email.id() + "'");
        assertThat(campaigns).singleElement().satisfies(c -> {
            assertThat(c.get("Name")).isEqualTo(email.name());
            assertThat(c.get("Type")).isEqualTo("Email");
            assertThat((String) c.get("Description")).contains("Recipients of the HubSpot marketing email");
        });
        assertThat(org.query("SELECT LeadId, ContactId, Status FROM CampaignMember WHERE CampaignId = '" + campaigns.get(0).get("Id") + "'")
                .stream().collect(Collectors.toMap(r -> String.valueOf(r.get("LeadId") != null ? r.get("LeadId") : r.get("ContactId")),
                        r -> r.get("Status")))).containsOnly(Map.entry(lead.sfId(), "Opened"), Map.entry(contact.sfId(), "Sent"));
        assertThat(emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(FLOW), 10)).singleElement()
                .satisfies(r -> assertThat(r.recordKey()).startsWith("email:" + email.id() + ":").doesNotContain("@"));

        long salesforceCalls = emulators.salesforce.journal().total();
        emulators.poll(FLOW);
        assertThat(emulators.salesforce.journal().total()).as("a second run writes nothing").isEqualTo(salesforceCalls);
    }

    @Test
    void withLeaversRemovedALeaverLosesTheCampaignMemberAndARejoinerGetsANewOne() throws Exception {
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        World.Person contact = people(World.Match.CONTACT, 1).get(0);
        portal.addListMember(list.id(), lead.hubspotContactId(), clock.instant().minus(Duration.ofMinutes(10)));
        portal.addListMember(list.id(), contact.hubspotContactId(), clock.instant().minus(Duration.ofMinutes(10)));
        start(Map.of("CLOSEDLOOP_CAMPAIGN_LEAVERS", "remove"));
        emulators.poll(FLOW);
        assertThat(members()).containsOnlyKeys(lead.sfId(), contact.sfId());

        portal.removeListMember(list.id(), lead.hubspotContactId());
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(contact.sfId(), "Sent"));
        assertThat(emulators.salesforce.compositeSubrequests()).containsEntry("salesforce.collections.delete", 1L);
        emulators.poll(FLOW);
        assertThat(emulators.salesforce.compositeSubrequests()).containsEntry("salesforce.collections.delete", 1L);

        portal.addListMember(list.id(), lead.hubspotContactId(), clock.instant());
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"), Map.entry(contact.sfId(), "Sent"));
    }

    @Test
    void anUnmatchedMemberIsWrittenOnceItsLeadExistsAndItsParkedRecordResolves() throws Exception {
        World.Person unknown = people(World.Match.UNKNOWN, 1).get(0);
        portal.addListMember(list.id(), unknown.hubspotContactId(), clock.instant().minus(Duration.ofMinutes(10)));
        start();
        emulators.poll(FLOW);
        assertThat(members()).isEmpty();

        String leadId = org.insert("Lead", Map.of("LastName", unknown.lastName(), "Company", unknown.company().name(),
                "Email", unknown.email()));
        // the wait is the unmatched retry's first backoff (CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL, 1s here)
        Thread.sleep(1_200);
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(leadId, "Sent"));
        assertThat(emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(FLOW), 10)).isEmpty();
    }

    /** Reads the state store while no daemon holds it. */
    private <T> T inStore(Map<String, String> env, java.util.function.Function<StateStore, T> read) throws Exception {
        try (StateStore store = StateStore.open(TestSettings.settings(dir, env), clock)) {
            return read.apply(store);
        }
    }

    /** The real {@code replay} command, reading the daemon's settings from a --config file (the daemon is stopped: H2 file). */
    private String replay(Map<String, String> env, String... args) throws Exception {
        Properties p = new Properties();
        env.forEach((k, v) -> p.setProperty(SettingKey.valueOf(k).property(), v));
        Path config = dir.resolve("replay.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level root = logs.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
        Level camel = logs.getLogger("org.apache.camel").getLevel();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--config", config.toString()))
                .toArray(String[]::new);
        try {
            int exit = Closedloop.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
            assertThat(exit).as(out + " " + err).isZero();
        } finally {
            // the command quietens logging for its own output; the other tests keep theirs
            logs.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(root);
            logs.getLogger("org.apache.camel").setLevel(camel);
        }
        return out.toString();
    }

    @Test
    void replayWritesAnUnmatchedMemberOnceItsLeadExistsAndResolvesItsRecordAndASecondReplayWritesNothing() throws Exception {
        World.Person unknown = people(World.Match.UNKNOWN, 1).get(0);
        World.Person lead = people(World.Match.LEAD, 1).get(0);
        Instant joined = clock.instant().minus(Duration.ofMinutes(10));
        portal.addListMember(list.id(), unknown.hubspotContactId(), joined);
        portal.addListMember(list.id(), lead.hubspotContactId(), joined);
        // the flow's own retry waits an hour here: only the replay can bring the member now
        Map<String, String> env = new java.util.HashMap<>(emulators.env());
        env.put("CLOSEDLOOP_CAMPAIGN_SYNC", list.id());
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "1h");
        emulators.startDaemon(env, Map.of());
        emulators.poll(FLOW);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"));
        ParkedRecords.ParkedRecord parked = emulators.startedStore().parked().list(ParkedRecords.Filter.parkedIn(FLOW), 10).get(0);
        assertThat(parked.errorCode()).isEqualTo("UNMATCHED");
        emulators.stopDaemon();

        // replayed while no one matches: nothing written, still parked with one more attempt
        long upserts = memberUpserts();
        assertThat(replay(env, "replay", "--flow", FLOW)).contains(FLOW + ": replayed 1, resolved 0, still parked 1");
        assertThat(memberUpserts()).isEqualTo(upserts);
        ParkedRecords.ParkedRecord again = inStore(env, st -> st.parked().byId(parked.id()).orElseThrow());
        assertThat(again.status()).isEqualTo(ParkedRecords.Status.PARKED);
        assertThat(again.errorCode()).isEqualTo("UNMATCHED");
        assertThat(again.attempts()).isEqualTo(parked.attempts() + 1);

        // a rep creates the Lead: the replay writes the member (and only it: the written lead is no leaver), resolved
        String leadId = org.insert("Lead", Map.of("LastName", unknown.lastName(), "Company", unknown.company().name(),
                "Email", unknown.email()));
        assertThat(replay(env, "replay", "--flow", FLOW)).contains(FLOW + ": replayed 1, resolved 1, still parked 0");
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"), Map.entry(leadId, "Sent"));
        assertThat(memberUpserts()).isEqualTo(upserts + 1);
        ParkedRecords.Status status = inStore(env, st -> st.parked().byId(parked.id()).orElseThrow().status());
        assertThat(status).isEqualTo(ParkedRecords.Status.RESOLVED);
        String stored = inStore(env, st -> st.campaignMembers().members("list:" + list.id()).get(unknown.hubspotContactId()).status());
        assertThat(stored).as("the store records the member as written").isEqualTo("Sent");

        // a second replay selects nothing; asked by id, the resolved record is skipped; nothing is written
        long calls = emulators.salesforce.journal().total();
        assertThat(replay(env, "replay", "--flow", FLOW)).contains("Nothing to replay");
        assertThat(emulators.salesforce.journal().total()).isEqualTo(calls);
        assertThat(replay(env, "replay", "--id", Long.toString(parked.id()))).contains("skipped record " + parked.id(), "already resolved");
        assertThat(memberUpserts()).isEqualTo(upserts + 1);

        // and the sync's next poll finds the member written: no further CampaignMember upsert
        emulators.startDaemon(env, Map.of());
        emulators.poll(FLOW);
        assertThat(memberUpserts()).isEqualTo(upserts + 1);
        assertThat(members()).containsOnly(Map.entry(lead.sfId(), "Sent"), Map.entry(leadId, "Sent"));
    }
}
