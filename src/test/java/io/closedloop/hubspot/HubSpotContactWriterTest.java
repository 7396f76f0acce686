package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contact reads and updates in batches of 100 (hubspot-api.md §5: batch read by email, batch update by id) against the
 * emulator: a read or an update of more than one batch sends its batches up to {@link HubSpotContactWriter#CONCURRENCY}
 * at once, and every contact is read or written all the same.
 */
class HubSpotContactWriterTest {
    private static final int CONTACTS = 450;

    @TempDir
    Path dir;

    private HubSpotEmulator hubspot;
    private DefaultCamelContext context;
    private HubSpotContactWriter writer;
    private final List<String> emails = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withBurstPer10s(100_000).withSearchPerSecond(10_000)).start(0);
        Map<String, String> env = TestSettings.env(dir, hubspot);
        context = new DefaultCamelContext();
        context.start();
        writer = new HubSpotContactWriter(new HubSpotClient(context, TestSettings.settings(dir, env)));
        for (int i = 0; i < CONTACTS; i++) {
            String email = "person" + i + "@batches.example";
            emails.add(email);
            ids.add(hubspot.portal().createContact(Map.of("email", email, "firstname", "Person " + i)));
        }
        // each batch call takes 300 ms, so calls sent at once are seen in flight together
        hubspot.faults().latency("hubspot.contacts.batch.*", () -> Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() throws Exception {
        context.close();
        hubspot.close();
    }

    @Test
    void aReadOfFiveBatchesSendsThemUpToFourAtOnceAndFindsEveryone() {
        Map<String, HubSpotContactWriter.Contact> found = writer.contacts(emails, List.of("email", "firstname"));

        assertThat(found).hasSize(CONTACTS);
        for (int i = 0; i < CONTACTS; i++) {
            assertThat(found.get(emails.get(i)).id()).isEqualTo(ids.get(i));
            assertThat(found.get(emails.get(i)).properties()).containsEntry("firstname", "Person " + i);
        }
        assertThat(hubspot.journal().count("hubspot.contacts.batch.read")).isEqualTo(5);
        assertThat(hubspot.journal().peakInFlight("hubspot.contacts.batch.read")).isBetween(2, HubSpotContactWriter.CONCURRENCY);
    }

    @Test
    void anUpdateOfFiveBatchesSendsThemUpToFourAtOnceAndWritesEveryone() {
        List<HubSpotContactWriter.Update> updates = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            updates.add(new HubSpotContactWriter.Update("k" + i, ids.get(i), Map.of("firstname", "Updated " + i)));
        }

        assertThat(writer.update(updates)).isEmpty();

        for (int i = 0; i < CONTACTS; i++) {
            assertThat(hubspot.portal().contact(ids.get(i))).containsEntry("firstname", "Updated " + i);
        }
        assertThat(hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(5);
        assertThat(hubspot.journal().peakInFlight("hubspot.contacts.batch.update")).isBetween(2, HubSpotContactWriter.CONCURRENCY);
    }

    @Test
    void aContactUpdatedTwiceInOneListGetsItsUpdatesInListOrderOneBatchAfterAnother() {
        List<HubSpotContactWriter.Update> updates = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            updates.add(new HubSpotContactWriter.Update("k" + i, ids.get(i), Map.of("firstname", "First " + i)));
        }
        // the first contact again, in the second batch: its later value wins
        updates.add(new HubSpotContactWriter.Update("again", ids.get(0), Map.of("firstname", "Second")));

        assertThat(writer.update(updates)).isEmpty();

        assertThat(hubspot.portal().contact(ids.get(0))).containsEntry("firstname", "Second");
        assertThat(hubspot.portal().contact(ids.get(149))).containsEntry("firstname", "First 149");
        assertThat(hubspot.journal().count("hubspot.contacts.batch.update")).isEqualTo(2);
        assertThat(hubspot.journal().peakInFlight("hubspot.contacts.batch.update")).isEqualTo(1);
    }
}
