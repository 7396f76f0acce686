package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow 1 through the real YAML routes: HubSpot engagement into Salesforce Marketing Activities. */
class EngagementToSalesforceRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private long eventSeq;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(25), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person first(World.Match match) {
        return world.people().stream().filter(p -> p.match() == match && p.duplicateSfId() == null).findFirst().orElseThrow();
    }

    /** An email event a minute ago, so it lies inside the next poll's window. */
    private String email(World.Person p, String type, int campaign) {
        long created = clock.instant().minusSeconds(60).toEpochMilli() + eventSeq++;
        String id = "evt-" + eventSeq;
        Map<String, Object> extras = type.equals("CLICK") ? Map.of("url", "https://www.closedloop.example/pricing") : Map.of();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, type, p.email(), world.campaigns().get(campaign).id(), extras));
        return "email:" + id + ":" + created;
    }

    private Map<String, Map<String, Object>> activitiesByEventId() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c, Lead__c, Contact__c, Account__c, Activity_Type__c, "
                        + "Asset_Name__c, Occurred_At__c FROM Marketing_Activity__c").stream()
                .collect(Collectors.toMap(r -> (String) r.get("Closedloop_Event_Id__c"), r -> r));
    }

    @Test
    void everyOpenClickAndFormSubmissionLandsOnceOnTheRightPersonAcrossPollsAndARestart() throws Exception {
        World.Person lead = first(World.Match.LEAD);
        World.Person contact = first(World.Match.CONTACT);
        World.Person obrien = world.people().stream().filter(p -> p.email().startsWith("o'brien@")).findFirst().orElseThrow();
        World.Person unknown = first(World.Match.UNKNOWN);
        Map<String, World.Person> expected = new HashMap<>();
        expected.put(email(lead, "OPEN", 0), lead);
        expected.put(email(lead, "CLICK", 0), lead);
        expected.put(email(contact, "CLICK", 1), contact);
        expected.put(email(contact, "BOUNCE", 1), contact);
        if (obrien.match() != World.Match.UNKNOWN) {
            expected.put(email(obrien, "OPEN", 2), obrien);
        }
        email(lead, "SENT", 0);
        email(lead, "DELIVERED", 0);
        String unmatched = email(unknown, "CLICK", 0);
        World.Form demo = world.forms().get(0);
        long submittedAt = clock.instant().minusSeconds(30).toEpochMilli();
        emulators.hubspot.portal().addFormSubmission(demo.guid(), submittedAt, demo.pageUrl(),
                Map.of("email", lead.email(), "firstname", lead.firstName(), "message", "Please call me"));

        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-form-submissions");

        Map<String, Map<String, Object>> activities = activitiesByEventId();
        expected.forEach((eventId, person) -> {
            assertThat(activities).containsKey(eventId);
            Map<String, Object> a = activities.get(eventId);
            assertThat(a.get(person.match() == World.Match.LEAD ? "Lead__c" : "Contact__c")).as(eventId).isEqualTo(person.sfId());
        });
        List<Map<String, Object>> forms = activities.values().stream().filter(a -> "Form Submission".equals(a.get("Activity_Type__c"))).toList();
        assertThat(forms).singleElement().satisfies(f -> {
            assertThat(f.get("Lead__c")).isEqualTo(lead.sfId());
            assertThat(f.get("Asset_Name__c")).isEqualTo(demo.name());
        });
        // SENT and DELIVERED are counted, not written; nothing else was written
        assertThat(activities).hasSize(expected.size() + 1);
        assertThat(activities.get(expected.keySet().stream().filter(k -> expected.get(k) == contact).findFirst().orElseThrow()).get("Account__c"))
                .isEqualTo(contact.company().accountId());
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isEqualTo(1);

        var parked = emulators.startedStore().parked().find("hubspot-email-events", unmatched).orElseThrow();
        assertThat(parked.errorCode()).isEqualTo("UNMATCHED");
        assertThat(parked.status()).isEqualTo(ParkedRecords.Status.PARKED);

        // polling again and restarting write nothing twice
        long compositeCalls = emulators.salesforce.journal().count("salesforce.composite");
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-form-submissions");
        emulators.stopDaemon();
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        emulators.poll("hubspot-form-submissions");
        assertThat(activitiesByEventId()).hasSize(activities.size());
        // known events cost no Salesforce writes: at most identity lookups for the unmatched one
        assertThat(emulators.salesforce.journal().count("salesforce.composite") - compositeCalls).isLessThanOrEqualTo(4);
    }

    @Test
    void summaryFieldsAndTheAccountRollUpFollowTheActivity() throws Exception {
        World.Person lead = first(World.Match.LEAD);
        email(lead, "CLICK", 0);
        email(lead, "CLICK", 0);
        email(lead, "OPEN", 2);
        World.Company company = world.companies().stream()
                .filter(c -> world.people().stream().filter(p -> p.company().equals(c) && p.match() == World.Match.CONTACT
                        && p.duplicateSfId() == null).count() >= 1)
                .findFirst().orElseThrow();
        List<World.Person> atCompany = world.people().stream().filter(p -> p.company().equals(company) && p.match() != World.Match.UNKNOWN
                && p.duplicateSfId() == null).toList();
        atCompany.forEach(p -> email(p, "CLICK", 1));

        emulators.startDaemon();
        emulators.poll("hubspot-email-events");

        Map<String, Object> sfLead = emulators.salesforce.org().get("Lead", lead.sfLeadId());
        assertThat(sfLead.get("Marketing_Activity_7d__c")).isEqualTo(new BigDecimal(3 + (atCompany.contains(lead) ? 1 : 0)));
        assertThat((String) sfLead.get("Marketing_Summary__c")).contains("Clicked '" + world.campaigns().get(0).name() + "' email 2×")
                .contains("opened '" + world.campaigns().get(2).name() + "' email").endsWith(" in 7 days");
        assertThat((Instant) sfLead.get("Last_Marketing_Activity_At__c")).isAfter(clock.instant().minus(Duration.ofMinutes(5)));

        Map<String, Object> account = emulators.salesforce.org().get("Account", company.accountId());
        assertThat(account.get("Marketing_Engaged_People__c")).isEqualTo(new BigDecimal(atCompany.size()));
        assertThat(((BigDecimal) account.get("Marketing_Activity_30d__c")).intValue()).isGreaterThanOrEqualTo(atCompany.size());
        assertThat((String) account.get("Marketing_Summary__c")).startsWith(atCompany.size() + (atCompany.size() == 1 ? " person" : " people"));
        assertThat(emulators.startedStore().summaryQueue().size()).isZero();
    }

    @Test
    void invalidUnmatchedAndDuplicateEmailsAreParkedWithTheirReasonAndLongNamesAreKeptWhole() throws Exception {
        World.Person duplicated = first(World.Match.LEAD);
        String secondLead = emulators.salesforce.org().insert("Lead", Map.of("LastName", "Twin", "Company", "Twin Co",
                "Email", duplicated.email(), "Status", "Open - Not Contacted"));
        World.Person unknown = first(World.Match.UNKNOWN);
        World.Person contact = first(World.Match.CONTACT);
        long created = clock.instant().minusSeconds(60).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("bad-1", created, "OPEN", "not-an-email", world.campaigns().get(0).id(), Map.of()));
        String longUrl = "https://www.closedloop.example/" + "a".repeat(400);
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("long-1", created + 1, "CLICK", contact.email(), world.campaigns().get(0).id(),
                Map.of("url", longUrl)));
        String unmatched = email(unknown, "OPEN", 0);
        String dup = email(duplicated, "OPEN", 0);

        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_DUPLICATE_POLICY", "park");
        emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-email-events");

        ParkedRecords parked = emulators.startedStore().parked();
        assertThat(parked.find("hubspot-email-events", "email:bad-1:" + created)).hasValueSatisfying(r ->
                assertThat(r.errorCode()).isEqualTo("INVALID_EMAIL"));
        assertThat(parked.find("hubspot-email-events", unmatched)).hasValueSatisfying(r -> {
            assertThat(r.errorCode()).isEqualTo("UNMATCHED");
            assertThat(r.payload()).contains(unknown.email());
        });
        assertThat(parked.find("hubspot-email-events", dup)).hasValueSatisfying(r -> {
            assertThat(r.errorCode()).isEqualTo("DUPLICATE_EMAIL");
            assertThat(r.reason()).contains(duplicated.sfLeadId()).contains(secondLead);
        });
        Map<String, Object> written = activitiesByEventId().get("email:long-1:" + (created + 1));
        assertThat(written).isNotNull();
        Map<String, Object> full = emulators.salesforce.org().query("SELECT Asset_Url__c, Details__c FROM Marketing_Activity__c "
                + "WHERE Closedloop_Event_Id__c = 'email:long-1:" + (created + 1) + "'").get(0);
        assertThat((String) full.get("Asset_Url__c")).hasSize(255).endsWith("…");
        assertThat((String) full.get("Details__c")).contains(longUrl);
    }

    @Test
    void peopleWhoEngageAgainSoonCostNoSecondIdentityQuery() throws Exception {
        World.Person lead = first(World.Match.LEAD);
        World.Person contact = first(World.Match.CONTACT);
        email(lead, "OPEN", 0);
        email(contact, "OPEN", 0);
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        long before = emulators.salesforce.journal().count("salesforce.composite");

        // new events just inside the next window (it starts a few seconds before the watermark)
        long watermark = io.closedloop.state.TimeWindowCursor.parse(emulators.startedStore().cursors().get("hubspot-email-events")
                .orElseThrow()).watermark().toEpochMilli();
        for (World.Person p : List.of(lead, contact)) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("again-" + p.sfId(), watermark - 1_000, "CLICK", p.email(),
                    world.campaigns().get(1).id(), Map.of()));
        }
        emulators.poll("hubspot-email-events");
        // one Composite for the two activities and one for the summaries; the identities come from the cache
        assertThat(emulators.salesforce.journal().count("salesforce.composite") - before).isEqualTo(2);
        assertThat(activitiesByEventId().values()).filteredOn(a -> "Email Click".equals(a.get("Activity_Type__c")))
                .extracting(a -> a.get("Lead__c") != null ? a.get("Lead__c") : a.get("Contact__c"))
                .containsExactlyInAnyOrder(lead.sfLeadId(), contact.sfContactId());
    }
}
