package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.MutableClock;
import io.closedloop.state.TimeWindowCursor;
import io.closedloop.testsupport.Emulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The time-windowed HubSpot sources against a HubSpot whose clock differs from the daemon's (its event times and its
 * Date header, hubspot-api.md §2.1 and RFC 9110 §6.6.1) and against records indexed late: nothing is skipped.
 */
class HubSpotClockSkewRouteTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    /** HubSpot's clock: its event times and its Date header. */
    private final MutableClock hubspotClock = new MutableClock(clock.instant());
    private Emulators emulators;
    private World world;
    private int seq;

    /** Both clocks move together, HubSpot's a set distance from the daemon's. */
    private void advance(Duration d) {
        clock.advance(d);
        hubspotClock.advance(d);
    }

    private void start(Duration skew) throws Exception {
        hubspotClock.set(clock.instant().plus(skew));
        emulators = new Emulators(dir, clock, UnaryOperator.identity(), c -> c.withClock(hubspotClock));
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(10), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        emulators.startDaemon();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close();
        }
    }

    private World.Person known(int i) {
        List<World.Person> known = world.people().stream().filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null).toList();
        return known.get(i % known.size());
    }

    /** An OPEN that HubSpot stamps {@code created}, made visible now; returns the id the daemon derives from it. */
    private String open(long created) {
        String id = "skew-" + seq;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, "OPEN", known(seq++).email(), world.campaigns().get(0).id(), Map.of()));
        return "email:" + id + ":" + created;
    }

    private Map<String, Long> writtenTimes() {
        return emulators.salesforce.org().query("SELECT Closedloop_Event_Id__c FROM Marketing_Activity__c").stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("Closedloop_Event_Id__c"), Collectors.counting()));
    }

    private void pollEvery(Duration step, int polls, String source) {
        for (int i = 0; i < polls; i++) {
            advance(step);
            emulators.poll(source);
        }
    }

    @ParameterizedTest(name = "HubSpot {0} s off the daemon's clock")
    @ValueSource(ints = {30, -30})
    void emailEventsStampedByASkewedHubSpotAreEachWrittenExactlyOnce(int skewSeconds) throws Exception {
        start(Duration.ofSeconds(skewSeconds));
        emulators.poll("hubspot-email-events");
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            // stamped by HubSpot as they happen, between two polls ten seconds apart
            for (int i = 0; i < 3; i++) {
                expected.add(open(hubspotClock.millis() - i));
            }
            advance(Duration.ofSeconds(10));
            emulators.poll("hubspot-email-events");
        }
        // well within the sweep period: regular polls alone must catch everything
        pollEvery(Duration.ofSeconds(30), 4, "hubspot-email-events");

        Map<String, Long> written = writtenTimes();
        assertThat(expected).allSatisfy(id -> assertThat(written.get(id)).as(id).isEqualTo(1L));
        assertThat(written).hasSize(expected.size());
        assertThat(emulators.runtime().flowHealth().pausedFlows()).isEmpty();
    }

    @Test
    void anEmailEventIndexedEightMinutesLateIsReadAtAPollIntervalOfAMinute() throws Exception {
        start(Duration.ZERO);
        emulators.poll("hubspot-email-events");
        pollEvery(Duration.ofMinutes(1), 21, "hubspot-email-events");
        long created = clock.millis();
        pollEvery(Duration.ofMinutes(1), 8, "hubspot-email-events");
        // indexed only now, long after the regular windows passed its time
        String late = open(created);
        pollEvery(Duration.ofMinutes(1), 12, "hubspot-email-events");

        assertThat(writtenTimes()).containsEntry(late, 1L);
    }

    /** A daemon whose email source has polled three times, 5 s apart, with HubSpot's clock on the daemon's. */
    private void pollingEmailsEveryFiveSeconds() throws Exception {
        start(Duration.ZERO);
        emulators.poll("hubspot-email-events");
        pollEvery(Duration.ofSeconds(5), 2, "hubspot-email-events");
    }

    /**
     * The email window tolerates an event indexed up to its settle time plus its overlap (1 s + 6 s) late without the
     * sweep, plus the clock offset that widens it (here the half second a Date header's whole seconds leave unknown):
     * here one is created 2.55 s after a poll and indexed 7.45 s later, just after the poll 10 s on. The next poll's
     * window reaches back to 2.5 s after that poll; a window 0.1 s shorter would leave the event to the sweep, ten
     * minutes on.
     */
    @Test
    void anEmailEventIndexedSevenSecondsLateIsReadByTheNextRegularPoll() throws Exception {
        pollingEmailsEveryFiveSeconds();
        long created = clock.millis() + 2_550;
        pollEvery(Duration.ofSeconds(5), 2, "hubspot-email-events");
        String late = open(created);
        assertThat(writtenTimes()).doesNotContainKey(late);

        pollEvery(Duration.ofSeconds(5), 1, "hubspot-email-events");
        assertThat(writtenTimes()).containsEntry(late, 1L);
    }

    /**
     * The settle time (1 s), widened by the clock offset (here the half second a Date header's whole seconds leave
     * unknown), is all the wait the window adds: an event 1.6 s old at a poll is written by that poll.
     */
    @Test
    void anEmailEventIndexedAtOnceIsWrittenByThePollOneAndAHalfSecondsAfterIt() throws Exception {
        pollingEmailsEveryFiveSeconds();
        advance(Duration.ofSeconds(5));
        String fresh = open(clock.millis() - 1_600);
        emulators.poll("hubspot-email-events");

        assertThat(writtenTimes()).containsEntry(fresh, 1L);
    }

    @Test
    void aFormSubmissionIndexedLateIsReadByTheNextSweep() throws Exception {
        start(Duration.ZERO);
        World.Form form = world.forms().get(0);
        emulators.poll("hubspot-form-submissions");
        advance(Duration.ofSeconds(10));
        emulators.hubspot.portal().addFormSubmission(form.guid(), clock.millis(), form.pageUrl(), Map.of("email", known(0).email()));
        advance(Duration.ofSeconds(10));
        emulators.poll("hubspot-form-submissions");
        // submitted a minute before the one already read, indexed only now
        long lateAt = clock.millis() - 70_000;
        emulators.hubspot.portal().addFormSubmission(form.guid(), lateAt, form.pageUrl(), Map.of("email", known(1).email()));
        pollEvery(Duration.ofMinutes(1), 11, "hubspot-form-submissions");

        List<Map<String, Object>> forms = emulators.salesforce.org().query(
                "SELECT Closedloop_Event_Id__c, Occurred_At__c FROM Marketing_Activity__c WHERE Activity_Type__c = 'Form Submission'");
        assertThat(forms).hasSize(2);
        assertThat(forms.stream().map(f -> f.get("Closedloop_Event_Id__c")).distinct()).hasSize(2);
    }

    @Test
    void aHubSpotClockFarOffPausesTheSourceWithTheReasonUntilTheClocksAgree() throws Exception {
        start(Duration.ofMinutes(10));
        String before = emulators.startedStore().cursors().get("hubspot-email-events").orElse("");
        advance(Duration.ofSeconds(30));
        emulators.poll("hubspot-email-events");

        var paused = emulators.runtime().flowHealth().pausedFlows();
        assertThat(paused).containsKey("hubspot-email-events-poll");
        assertThat(paused.get("hubspot-email-events-poll").reason()).contains("HubSpot's clock is 600 s ahead of this host's");
        String cursor = emulators.startedStore().cursors().get("hubspot-email-events").orElse("");
        assertThat(cursor.isEmpty() || TimeWindowCursor.parse(cursor).watermark().isBefore(clock.instant().minus(Duration.ofMinutes(30))))
                .as("the cursor did not move: %s (before: %s)", cursor, before).isTrue();
        assertThat(get(emulators.runtime().settings().httpPort(), "/observe/health"))
                .contains("\"name\":\"api-budgets\",\"status\":\"UP\",\"message\":\"HubSpot's clock is 600 s ahead of this host's");
        assertThat(get(emulators.runtime().settings().httpPort(), "/observe/metrics"))
                .containsPattern("closedloop_api_clock_offset_seconds\\{api=\"hubspot\"\\} 600\\.");

        // the clocks agree again: the next poll measures afresh and reads
        hubspotClock.set(clock.instant());
        String event = open(clock.millis() - 60_000);
        advance(Duration.ofSeconds(30));
        emulators.poll("hubspot-email-events");
        assertThat(writtenTimes()).containsEntry(event, 1L);
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
