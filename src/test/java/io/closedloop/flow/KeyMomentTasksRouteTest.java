package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key moments become completed Tasks in the standard timeline, once each, through the real routes. */
class KeyMomentTasksRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person first(World.Match match, int skip) {
        return world.people().stream().filter(p -> p.match() == match && p.duplicateSfId() == null).skip(skip).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> tasks() {
        return emulators.salesforce.org().query("SELECT Id, WhoId, WhatId, Subject, Status, Closedloop_Event_Id__c FROM Task");
    }

    private void visit(World.Person p, String url, int views) {
        emulators.hubspot.portal().updateContact(p.hubspotContactId(), Map.of("hs_analytics_num_page_views", Integer.toString(views),
                "hs_analytics_last_url", url, "hs_analytics_last_visit_timestamp", Long.toString(clock.millis() - 5_000)));
    }

    @Test
    void formSubmissionsAndPricingVisitsBecomeOneCompletedTaskEachOnTheRightPerson() throws Exception {
        World.Person lead = first(World.Match.LEAD, 0);
        World.Person contact = first(World.Match.CONTACT, 0);
        World.Person reader = first(World.Match.CONTACT, 1);
        World.Person unknown = world.people().stream().filter(p -> p.match() == World.Match.UNKNOWN).findFirst().orElseThrow();
        World.Form demo = world.forms().get(0);
        long at = clock.millis() - 30_000;
        emulators.hubspot.portal().addFormSubmission(demo.guid(), at, demo.pageUrl(), Map.of("email", lead.email()));
        emulators.hubspot.portal().addFormSubmission(demo.guid(), at + 1, demo.pageUrl(), Map.of("email", unknown.email()));

        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_KEY_MOMENTS", "form-submission,page-visit");
        env.put("CLOSEDLOOP_KEY_MOMENT_PAGES", "/pricing");
        emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-contact-changes");
        visit(contact, "https://www.closedloop.example/pricing", 4);
        visit(reader, "https://www.closedloop.example/blog/why", 2);
        emulators.poll("hubspot-form-submissions");
        emulators.poll("hubspot-contact-changes");

        List<Map<String, Object>> tasks = tasks();
        assertThat(tasks).hasSize(2);
        assertThat(tasks).anySatisfy(t -> {
            assertThat(t.get("WhoId")).isEqualTo(lead.sfLeadId());
            assertThat(t.get("WhatId")).isNull();
            assertThat((String) t.get("Subject")).isEqualTo("Marketing: submitted '" + demo.name() + "' form");
            assertThat(t.get("Status")).isEqualTo("Completed");
        });
        assertThat(tasks).anySatisfy(t -> {
            assertThat(t.get("WhoId")).isEqualTo(contact.sfContactId());
            assertThat(t.get("WhatId")).isEqualTo(contact.company().accountId());
            assertThat((String) t.get("Subject")).isEqualTo("Marketing: visited /pricing");
        });
        // the unknown person's submission is parked with its activity; no Task without one
        assertThat(emulators.startedStore().parked().list(io.closedloop.state.ParkedRecords.Filter.parkedIn("hubspot-form-submissions"), 10))
                .singleElement().satisfies(r -> assertThat(r.errorCode()).isEqualTo("UNMATCHED"));

        emulators.poll("hubspot-form-submissions");
        emulators.poll("hubspot-contact-changes");
        assertThat(tasks()).hasSize(2);
    }

    @Test
    void aTaskAlreadyInSalesforceForTheEventIsNotCreatedAgain() throws Exception {
        World.Person lead = first(World.Match.LEAD, 0);
        World.Form demo = world.forms().get(0);
        long at = clock.millis() - 30_000;
        emulators.hubspot.portal().addFormSubmission(demo.guid(), at, demo.pageUrl(), Map.of("email", lead.email()));
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_KEY_MOMENTS", "form-submission");
        emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-form-submissions");
        Map<String, Object> task = tasks().get(0);

        // the local ledger lost the Task (a crash between the create and the ledger write): Salesforce still knows it
        emulators.stopDaemon();
        try (var store = io.closedloop.state.StateStore.open("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "", clock)) {
            try (var c = store.dataSource().getConnection(); var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM event_ledger WHERE event_id LIKE 'task:%'");
                st.executeUpdate("DELETE FROM event_ledger WHERE event_id LIKE 'form:%'");
                st.executeUpdate("DELETE FROM source_cursor");
            }
        }
        emulators.startDaemon(env, Map.of());
        emulators.poll("hubspot-form-submissions");
        // the submission is read again from scratch: the activity upsert and the Task lookup keep one of each
        assertThat(emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c")).hasSize(1);
        assertThat(tasks()).singleElement().satisfies(t -> assertThat(t.get("Id")).isEqualTo(task.get("Id")));
        assertThat(emulators.startedStore().ledger().find("task:" + task.get("Closedloop_Event_Id__c"))).isPresent();
    }
}
