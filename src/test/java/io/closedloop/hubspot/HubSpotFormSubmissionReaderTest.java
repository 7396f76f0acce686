package io.closedloop.hubspot;

import io.closedloop.core.StartFrom;
import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.EngagementEvent;
import io.closedloop.core.SourceRead;
import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which forms the reader reads (hubspot-api.md §3, §4) and the cursor it keeps, against the emulator. */
class HubSpotFormSubmissionReaderTest {
    /** The cursor column of the state store (V1__state_store.sql). */
    private static final int CURSOR_COLUMN = 4000;

    @TempDir
    Path dir;

    private HubSpotEmulator hubspot;
    private DefaultCamelContext context;
    private HubSpotFormSubmissionReader reader;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() throws Exception {
        hubspot = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withBurstPer10s(100_000).withSearchPerSecond(10_000)).start(0);
        Map<String, String> env = TestSettings.env(dir, hubspot);
        context = new DefaultCamelContext();
        context.start();
        HubSpotClient client = new HubSpotClient(context, TestSettings.settings(dir, env));
        // a sweep one minute deep: these tests are about which forms are read, not about re-reading late submissions
        reader = new HubSpotFormSubmissionReader(client, new HubSpotFormSubmissionReader.Window(StartFrom.ago(Duration.ofHours(1)), Duration.ofSeconds(5),
                Duration.ofMinutes(10), Duration.ofMinutes(1)),
                new HubSpotFormSelector(client, Duration.ofHours(1)));
    }

    @AfterEach
    void tearDown() throws Exception {
        context.close();
        hubspot.close();
    }

    private static List<String> forms(SourceRead read) {
        return read.events().stream().map(EngagementEvent::assetName).toList();
    }

    @Test
    void aCursorStoredBeforeFullReadsIsReadInFullOnceKeepingItsWatermarks() {
        String contactUs = hubspot.portal().addForm("Contact us");
        String demo = hubspot.portal().addForm("Demo request");
        long at = now.minusSeconds(600).toEpochMilli();
        hubspot.portal().addFormSubmission(contactUs, at, "https://www.example.com/contact", Map.of("email", "old@example.com"));
        hubspot.portal().addFormSubmission(demo, at + 60_000, "https://www.example.com/demo", Map.of("email", "new@example.com"));
        // the former format: the first-read start and one watermark per form, the first submission already read
        String stored = "_start=" + now.minusSeconds(3600).toEpochMilli() + ";" + contactUs + "=" + (at + 10_000);

        SourceRead read = reader.read(reader.start(stored, now), now);

        assertThat(forms(read)).containsExactly("Demo request");
        assertThat(hubspot.journal().count("hubspot.forms.submissions")).isEqualTo(2);
        Map<String, Long> next = HubSpotFormSubmissionReader.parse(read.nextCursor());
        assertThat(next).containsEntry(contactUs, at + 10_000).containsEntry(demo, at + 60_000)
                .containsEntry(HubSpotFormSelector.FULL_READ, now.toEpochMilli());

        // the next poll searches instead of reading every form, and re-emits nothing
        hubspot.journal().reset();
        SourceRead again = reader.read(read.nextCursor(), now.plusSeconds(30));
        assertThat(again.events()).isEmpty();
        assertThat(hubspot.journal().counts()).isEqualTo(Map.of("POST hubspot.contacts.search", 1L));
    }

    @Test
    void aBacklogIsReadInChunksFormByFormAndTheFullReadCountsOnlyOnceEveryFormIsRead() throws Exception {
        Map<String, String> env = TestSettings.env(dir);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.Config.defaults().tokens().iterator().next());
        HubSpotClient client = new HubSpotClient(context, TestSettings.settings(dir, env));
        HubSpotFormSubmissionReader chunked = new HubSpotFormSubmissionReader(client, new HubSpotFormSubmissionReader.Window(
                StartFrom.ago(Duration.ofHours(1)), Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(1)),
                new HubSpotFormSelector(client, Duration.ofHours(1)), 100);
        for (int f = 0; f < 3; f++) {
            String guid = hubspot.portal().addForm("Form " + f);
            for (int i = 0; i < 80; i++) {
                hubspot.portal().addFormSubmission(guid, now.minusSeconds(3000 - f * 100 - i).toEpochMilli(), "https://www.example.com/f",
                        Map.of("email", "p" + f + "-" + i + "@example.com"));
            }
        }
        // a submission stamped after the read's now is left to the next read (a backfill window ends there)
        String late = hubspot.portal().addForm("Late");
        hubspot.portal().addFormSubmission(late, now.plusSeconds(30).toEpochMilli(), "https://www.example.com/late", Map.of("email", "l@example.com"));

        SourceRead first = chunked.read(chunked.start("", now), now);
        // two forms fill the chunk of 100: the third waits, and the full read is not yet done
        assertThat(first.more()).isTrue();
        assertThat(first.events()).hasSize(160);
        assertThat(HubSpotFormSubmissionReader.parse(first.nextCursor())).doesNotContainKey(HubSpotFormSelector.FULL_READ);

        SourceRead second = chunked.read(first.nextCursor(), now);
        assertThat(second.more()).isFalse();
        // the third form whole; of the first two only their 5 s overlap again (the ledger drops those)
        assertThat(forms(second).stream().filter("Form 2"::equals)).hasSize(80);
        assertThat(forms(second).stream().filter(f -> !f.equals("Form 2"))).hasSizeLessThanOrEqualTo(2 * 6);
        assertThat(HubSpotFormSubmissionReader.parse(second.nextCursor())).containsEntry(HubSpotFormSelector.FULL_READ, now.toEpochMilli())
                .containsEntry(late, now.minus(Duration.ofHours(1)).toEpochMilli());

        SourceRead later = chunked.read(second.nextCursor(), now.plus(Duration.ofHours(1)));
        assertThat(forms(later)).contains("Late");
    }

    @Test
    void theCursorFitsTheStoreWhateverTheNumberOfFormsWithSubmissions() {
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            guids.add(hubspot.portal().addForm("Form " + i));
            hubspot.portal().addFormSubmission(guids.get(i), now.minusSeconds(900 - i).toEpochMilli(), "https://www.example.com/f" + i,
                    Map.of("firstname", "Anonymous"));
        }
        SourceRead read = reader.read(reader.start("", now), now);
        assertThat(read.events()).hasSize(300);
        assertThat(read.nextCursor().length()).isLessThan(CURSOR_COLUMN);
        // every form's watermark is folded into the floor: the newest submission of all
        assertThat(HubSpotFormSubmissionReader.parse(read.nextCursor()))
                .containsEntry(HubSpotFormSubmissionReader.START, now.minusSeconds(900 - 299).toEpochMilli()).doesNotContainKeys(guids.get(0));
    }

    @Test
    void aConversionNamedAfterTheFormAndItsPageReadsThatFormAlone() {
        String contactUs = hubspot.portal().addForm("Contact us");
        hubspot.portal().addForm("Contact us again");
        SourceRead first = reader.read(reader.start("", now), now);
        long at = now.plusSeconds(10).toEpochMilli();
        hubspot.portal().addFormSubmission(contactUs, at, "https://www.example.com/contact", Map.of("email", "ada@example.com"));
        // §4 response example: "<form name>: <page title>"
        String contact = hubspot.portal().contacts().stream().filter(c -> "ada@example.com".equals(c.get("email")))
                .findFirst().orElseThrow().get("hs_object_id");
        hubspot.portal().updateContact(contact, Map.of("recent_conversion_event_name", "Contact us: Contact form"));

        hubspot.journal().reset();
        SourceRead read = reader.read(first.nextCursor(), now.plusSeconds(30));
        assertThat(forms(read)).containsExactly("Contact us");
        assertThat(hubspot.journal().counts()).isEqualTo(Map.of("POST hubspot.contacts.search", 1L, "GET hubspot.forms.submissions", 1L));
    }
}
