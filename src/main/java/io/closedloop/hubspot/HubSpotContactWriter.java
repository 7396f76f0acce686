package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.Classification;
import io.closedloop.core.ConcurrentCalls;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.IdlePool;
import io.closedloop.core.SkippableSyncException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;

/**
 * HubSpot contact writes at the batch floor (hubspot-api.md §5, §7.1): contact ids by email in batch reads,
 * property updates and timeline notes in batches of 100. Per-item results are read every time: a 207 names the
 * failed items; a 400 VALIDATION_ERROR fails the whole batch, so the batch is halved until the bad item is alone.
 * The batches of one read or one update go up to {@link #CONCURRENCY} at a time (HubSpot's burst limit still paces
 * them, in the client's budget): a first disposition read of 10,000 Leads is 100 reads and 100 updates, a minute and
 * more one after another at a few hundred milliseconds each.
 */
public class HubSpotContactWriter {
    public static final int BATCH = 100;
    /** Note to contact association (hubspot-api.md §7). */
    static final int NOTE_TO_CONTACT = 202;

    /** One contact's new property values, keyed by the caller. */
    public record Update(String key, String contactId, Map<String, String> properties) {
    }

    /** One timeline note on a contact. */
    public record Note(String key, String contactId, java.time.Instant at, String html) {
    }

    /** A contact found by email, with the properties read. */
    public record Contact(String id, Map<String, String> properties) {
    }

    /** An item that failed, and why. */
    public record Failure(String key, Classification reason) {
    }

    /** Batch calls of one read or update in flight at once. */
    static final int CONCURRENCY = 4;

    private final HubSpotClient client;
    /** The threads that send the batches of a read or an update; none stays idle. */
    private final ThreadPoolExecutor batches = IdlePool.of("closedloop-hubspot-batch", CONCURRENCY, 10);

    public HubSpotContactWriter(HubSpotClient client) {
        this.client = client;
    }

    /** Contact ids by email (lower case); emails HubSpot does not know are absent. */
    public Map<String, String> contactIds(List<String> emails) {
        Map<String, String> out = new LinkedHashMap<>();
        contacts(emails, List.of(HubSpotNames.EMAIL)).forEach((email, c) -> out.put(email, c.id()));
        return out;
    }

    /** Contacts by email (lower case) with the given properties; emails HubSpot does not know are absent. */
    public Map<String, Contact> contacts(List<String> emails, List<String> properties) {
        List<String> unique = emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).distinct().toList();
        List<JsonNode> bodies = inBatches(parts(unique), part -> {
            List<Map<String, String>> inputs = part.stream().map(e -> Map.of("id", e)).toList();
            return client.post("/crm/v3/objects/contacts/batch/read", Map.of("idProperty", HubSpotNames.EMAIL, "inputs", inputs,
                    "properties", properties, "propertiesWithHistory", List.of())).body();
        });
        Map<String, Contact> out = new LinkedHashMap<>();
        for (JsonNode body : bodies) {
            // results come in no guaranteed order: match on the stored email (§5.1)
            for (JsonNode r : body.path("results")) {
                String email = r.path("properties").path(HubSpotNames.EMAIL).asText("").toLowerCase(Locale.ROOT);
                if (!email.isEmpty()) {
                    Map<String, String> values = new LinkedHashMap<>();
                    r.path("properties").fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
                    out.put(email, new Contact(r.path("id").asText(), values));
                }
            }
        }
        return out;
    }

    /**
     * Writes the updates; returns the failures (everything else was written). A contact updated twice in the list gets
     * its updates in list order: such a list goes one batch after another.
     */
    public List<Failure> update(List<Update> updates) {
        List<List<Update>> parts = parts(updates);
        List<Failure> failures = new ArrayList<>();
        if (updates.stream().map(Update::contactId).distinct().count() < updates.size()) {
            parts.forEach(part -> updateBatch(part, failures));
            return failures;
        }
        inBatches(parts, part -> {
            List<Failure> own = new ArrayList<>();
            updateBatch(part, own);
            return own;
        }).forEach(failures::addAll);
        return failures;
    }

    private static <T> List<List<T>> parts(List<T> items) {
        List<List<T>> parts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += BATCH) {
            parts.add(items.subList(from, Math.min(items.size(), from + BATCH)));
        }
        return parts;
    }

    /** {@code call} on each part, up to {@link #CONCURRENCY} at once, the results in the parts' order. */
    private <T, R> List<R> inBatches(List<List<T>> parts, Function<List<T>, R> call) {
        if (parts.size() < 2) {
            return parts.stream().map(call).toList();
        }
        List<Callable<R>> calls = parts.stream().<Callable<R>>map(part -> () -> call.apply(part)).toList();
        return ConcurrentCalls.all(batches, calls, IllegalStateException::new);
    }

    private void updateBatch(List<Update> batch, List<Failure> failures) {
        List<Map<String, Object>> inputs = batch.stream().map(u -> Map.<String, Object>of("id", u.contactId(), "properties", u.properties())).toList();
        HubSpotClient.Response response;
        try {
            response = client.post("/crm/v3/objects/contacts/batch/update", Map.of("inputs", inputs));
        } catch (SkippableSyncException e) {
            isolate(batch, e, failures);
            return;
        }
        for (JsonNode error : response.body().path("errors")) {
            Classification c = HubSpotErrorClassifier.classifyItem(error);
            for (JsonNode id : error.path("context").path("ids")) {
                batch.stream().filter(u -> u.contactId().equals(id.asText())).forEach(u -> failures.add(new Failure(u.key(), c)));
            }
        }
    }

    /** A whole batch refused as invalid: halve it until each bad item stands alone, so the good ones still land. */
    private void isolate(List<Update> batch, SkippableSyncException e, List<Failure> failures) {
        if (batch.size() == 1) {
            failures.add(new Failure(batch.get(0).key(), new Classification(ErrorKind.SKIPPABLE, e.code(), Duration.ZERO, e.getMessage())));
            return;
        }
        int half = batch.size() / 2;
        updateBatch(batch.subList(0, half), failures);
        updateBatch(batch.subList(half, batch.size()), failures);
    }

    /** Creates the notes; returns the keys created (to the contact id) and adds the failures. */
    public Map<String, String> createNotes(List<Note> notes, List<Failure> failures) {
        return createNotes(notes, failures, (key, contactId) -> { });
    }

    /** As above; {@code onCreated} hears of each batch's notes as soon as HubSpot confirms them, before the next batch. */
    public Map<String, String> createNotes(List<Note> notes, List<Failure> failures, java.util.function.BiConsumer<String, String> onCreated) {
        Map<String, String> created = new LinkedHashMap<>();
        for (int from = 0; from < notes.size(); from += BATCH) {
            List<Note> batch = notes.subList(from, Math.min(notes.size(), from + BATCH));
            Map<String, Note> byTrace = new LinkedHashMap<>();
            List<Map<String, Object>> inputs = new ArrayList<>();
            for (Note n : batch) {
                String trace = traceId(n.key());
                byTrace.put(trace, n);
                inputs.add(Map.of("objectWriteTraceId", trace,
                        "properties", Map.of("hs_timestamp", Long.toString(n.at().toEpochMilli()), "hs_note_body", n.html()),
                        "associations", List.of(Map.of("to", Map.of("id", n.contactId()),
                                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", NOTE_TO_CONTACT))))));
            }
            // a unique objectWriteTraceId per input turns a partial failure into a 207 (§7.1)
            JsonNode body = client.post("/crm/v3/objects/notes/batch/create", Map.of("inputs", inputs)).body();
            Map<String, Note> failed = new LinkedHashMap<>();
            for (JsonNode error : body.path("errors")) {
                Classification c = HubSpotErrorClassifier.classifyItem(error);
                for (JsonNode t : error.path("context").path("objectWriteTraceId")) {
                    Note n = byTrace.get(t.asText());
                    if (n != null) {
                        failed.put(n.key(), n);
                        failures.add(new Failure(n.key(), c));
                    }
                }
            }
            // the results carry no trace id, so what was created is known by what did not fail
            batch.stream().filter(n -> !failed.containsKey(n.key())).forEach(n -> {
                created.put(n.key(), n.contactId());
                onCreated.accept(n.key(), n.contactId());
            });
        }
        return created;
    }

    /** The bodies of the notes on a contact's timeline (CRM search over notes by association, paged by 200). */
    public List<String> noteBodies(String contactId) {
        List<String> bodies = new ArrayList<>();
        String after = "0";
        while (after != null) {
            JsonNode page = client.post("/crm/v3/objects/notes/search", Map.of(
                    "filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", "associations.contact", "operator", "EQ",
                            "value", contactId)))),
                    "properties", List.of("hs_note_body"), "limit", 200, "after", after)).body();
            page.path("results").forEach(r -> bodies.add(r.path("properties").path("hs_note_body").asText("")));
            after = page.path("paging").path("next").path("after").asText(null);
        }
        return bodies;
    }

    /** objectWriteTraceId: the note's own key, so a 207 error names it. */
    static String traceId(String key) {
        return key;
    }
}
