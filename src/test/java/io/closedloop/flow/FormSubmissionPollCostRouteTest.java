package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.ShiftedClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The form source's HubSpot cost on a portal with 300 forms, counted from the emulator's journal: idle polls cost one
 * contacts search (§4, on recent_conversion_date of §4.1) whatever the number of forms, and a submission on any form
 * is still written exactly once.
 */
class FormSubmissionPollCostRouteTest {
    private static final int FORMS = 300;
    private static final int IDLE_POLLS = 10;
    private static final Duration POLL = Duration.ofSeconds(30);
    private static final Duration FULL_READ = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final ShiftedClock clock = new ShiftedClock();
    private Emulators emulators;
    private World world;
    private final List<World.Form> forms = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock, UnaryOperator.identity(), UnaryOperator.identity());
        // the portal's own limits are not under test here; the daemon keeps to its configured burst
        emulators.hubspot.rateLimits(10_000, 10_000_000, 100);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        forms.addAll(world.forms());
        for (int i = forms.size(); i < FORMS; i++) {
            String name = "Landing page form " + i;
            forms.add(new World.Form(emulators.hubspot.portal().addForm(name), name, "https://www.closedloop.example/lp/" + i));
        }
        Map<String, String> env = emulators.env();
        env.put("HUBSPOT_BURST_PER_10S", "250");
        env.put("HUBSPOT_FORM_FULL_READ_INTERVAL", "10m");
        emulators.startDaemon(env, Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private World.Person lead(int n) {
        return world.people().stream().filter(p -> p.match() == World.Match.LEAD && p.duplicateSfId() == null).skip(n).findFirst()
                .orElseThrow();
    }

    private void submit(World.Form form, World.Person person, long at) {
        emulators.hubspot.portal().addFormSubmission(form.guid(), at, form.pageUrl(),
                Map.of("email", person.email(), "firstname", person.firstName()));
    }

    /** One poll a poll interval later, and the HubSpot calls it made, keyed "METHOD endpoint". */
    private Map<String, Long> poll() {
        CallJournal journal = emulators.hubspot.journal();
        journal.reset();
        clock.advance(POLL);
        emulators.poll("hubspot-form-submissions");
        return journal.counts();
    }

    private long written(World.Form form, World.Person person) {
        return emulators.salesforce.org().query("SELECT Id, Lead__c, Asset_Name__c, Activity_Type__c FROM Marketing_Activity__c").stream()
                .filter(a -> "Form Submission".equals(a.get("Activity_Type__c")) && form.name().equals(a.get("Asset_Name__c"))
                        && person.sfLeadId().equals(a.get("Lead__c")))
                .count();
    }

    @Test
    void idlePollsCostOneSearchWhateverTheNumberOfFormsAndASubmissionOnAnyFormIsWrittenOnce() {
        // the first poll reads every form once: 6 pages of the form list (§3.1, 50 a page) and one read per form (§3.2)
        assertThat(poll()).containsEntry("GET hubspot.forms.list", 6L).containsEntry("GET hubspot.forms.submissions", (long) FORMS);

        long idleCalls = 0;
        for (int i = 0; i < IDLE_POLLS; i++) {
            Map<String, Long> calls = poll();
            assertThat(calls).as("idle poll %d", i).isEqualTo(Map.of("POST hubspot.contacts.search", 1L));
            idleCalls += calls.values().stream().mapToLong(Long::longValue).sum();
        }
        assertThat(idleCalls).isEqualTo(IDLE_POLLS);

        World.Form quiet = forms.get(217);
        World.Person lead = lead(0);
        submit(quiet, lead, clock.millis() - 1_000);
        // the contact's recent conversion names the form: that form alone is read
        assertThat(poll()).isEqualTo(Map.of("POST hubspot.contacts.search", 1L, "GET hubspot.forms.submissions", 1L));
        assertThat(written(quiet, lead)).isEqualTo(1);
        // the conversion stays in the search's lag window, but the form's watermark has passed it: no re-read
        for (int i = 0; i < 3; i++) {
            assertThat(poll()).isEqualTo(Map.of("POST hubspot.contacts.search", 1L));
        }
        assertThat(written(quiet, lead)).isEqualTo(1);
    }

    @Test
    void anEarlierConversionHiddenByALaterOneIsReadByTheNextFullRead() {
        poll();
        World.Form first = forms.get(42);
        World.Form second = forms.get(250);
        World.Person lead = lead(1);
        long at = clock.millis() - 2_000;
        submit(first, lead, at);
        submit(second, lead, at + 1_000);

        // recent_conversion_* shows only the later form (§4.1)
        assertThat(poll()).containsEntry("GET hubspot.forms.submissions", 1L);
        assertThat(written(second, lead)).isEqualTo(1);
        assertThat(written(first, lead)).isZero();

        clock.advance(FULL_READ);
        assertThat(poll()).containsEntry("GET hubspot.forms.submissions", (long) FORMS);
        assertThat(written(first, lead)).isEqualTo(1);
        assertThat(written(second, lead)).isEqualTo(1);
        assertThat(poll()).isEqualTo(Map.of("POST hubspot.contacts.search", 1L));
    }
}
