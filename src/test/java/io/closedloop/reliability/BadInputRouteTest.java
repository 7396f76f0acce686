package io.closedloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.SyncRuns;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the real routes: each case gets a clear outcome, and nothing else is lost. */
class BadInputRouteTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private long seq;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person lead() {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).findFirst().orElseThrow();
    }

    private String event(String email, String type) {
        long created = clock.millis() - 60_000 + seq++;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("bad-" + seq, created, type, email, world.campaigns().get(0).id(), Map.of()));
        return "email:bad-" + seq + ":" + created;
    }

    private List<Map<String, Object>> activities() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c, Lead__c, Contact__c, Details__c, Asset_Name__c FROM Marketing_Activity__c");
    }

    @Test
    void aMalformedEventsPageFailsTheRunKeepsTheCursorAndTheNextPollWritesEverything() throws Exception {
        String id = event(lead().email(), "OPEN");
        // every attempt of the first poll (two redeliveries in tests) gets a truncated body
        emulators.hubspot.faults().script("hubspot.email.events", Fault.malformedBody(), Fault.malformedBody(), Fault.malformedBody());
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        assertThat(activities()).isEmpty();
        // the cursor still holds only the first window's start: no poll was committed
            assertThat(io.closedloop.state.TimeWindowCursor.parse(emulators.startedStore().cursors().get("hubspot-email-events").orElseThrow())
                    .polls()).isZero();
        assertThat(emulators.startedStore().runs().recent("hubspot-email-events", 1)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SyncRuns.Status.FAILED);
            assertThat(r.error()).isNotBlank();
        });

        emulators.poll("hubspot-email-events");
        assertThat(activities()).extracting(a -> a.get("Closedloop_Event_Id__c")).containsExactly(id);
    }

    @Test
    void aMalformedSalesforceAnswerIsRetriedAndEachEventLandsOnce() throws Exception {
        World.Person lead = lead();
        List<String> ids = List.of(event(lead.email(), "OPEN"), event(lead.email(), "CLICK"));
        emulators.salesforce.faults().script("salesforce.composite", null, Fault.malformedBody());
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");
        assertThat(activities()).extracting(a -> a.get("Closedloop_Event_Id__c")).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void unicodeEmojiAndRightToLeftTextArriveIntact() throws Exception {
        World.Person lead = lead();
        World.Form form = world.forms().get(0);
        String message = "שלום, אני מעוניין בהדגמה 👋🏽 — Ünïcödé ✓ 中文 \u202Eevil\u202C";
        emulators.hubspot.portal().addFormSubmission(form.guid(), clock.millis() - 30_000, form.pageUrl(),
                Map.of("email", lead.email(), "message", message));
        emulators.startDaemon();
        emulators.poll("hubspot-form-submissions");
        assertThat(activities()).singleElement().satisfies(a -> assertThat((String) a.get("Details__c")).contains("message: " + message));
    }

    @Test
    void soqlInjectionInAnEmailMatchesNobodyAndIsParkedWhileOBrienMatchesExactly() throws Exception {
        String injection = event("x'OR'Name'!='@inject.example", "CLICK");
        String quoted = event("x\\' OR Name != \\'@inject.example", "CLICK");
        World.Person obrien = world.people().stream().filter(p -> p.email().startsWith("o'brien@")).findFirst().orElseThrow();
        String ok = event(obrien.email(), "OPEN");
        emulators.startDaemon();
        emulators.poll("hubspot-email-events");

        var parked = emulators.startedStore().parked();
        assertThat(parked.find("hubspot-email-events", injection)).hasValueSatisfying(r -> assertThat(r.errorCode()).isEqualTo("UNMATCHED"));
        assertThat(parked.find("hubspot-email-events", quoted)).hasValueSatisfying(r -> assertThat(r.errorCode()).isEqualTo("INVALID_EMAIL"));
        List<Map<String, Object>> written = activities();
        if (obrien.match() == World.Match.UNKNOWN) {
            assertThat(written).isEmpty();
        } else {
            assertThat(written).singleElement().satisfies(a -> {
                assertThat(a.get("Closedloop_Event_Id__c")).isEqualTo(ok);
                assertThat(a.get(obrien.match() == World.Match.LEAD ? "Lead__c" : "Contact__c")).isEqualTo(obrien.sfId());
            });
        }
    }
}
