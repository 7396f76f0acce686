package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.Disposition;
import io.closedloop.state.Dispositions;
import io.closedloop.state.StateStore;
import io.closedloop.state.SyncRuns;
import io.closedloop.core.DispositionBatch;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.SalesDisposition;
import io.closedloop.core.DispositionPlan;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the sales verdict to HubSpot: per contact the disposition, rejection reason and detail, owner, lead status,
 * lifecycle stage (forward only unless the rules allow going back) and won amount, in batch updates of 100; and a
 * timeline note for every rejection and loss, in plain words. What was sent is remembered by fingerprint and note key,
 * so a re-read sends nothing twice; what HubSpot refuses is parked with its reason.
 */
public class HubSpotDispositionWriter {
    public static final String NOTE_PREFIX = "note:";
    /** Parked code of a disposition whose email has no HubSpot contact yet; it is tried again for a while. */
    public static final String AWAITING_CONTACT = "AWAITING_CONTACT";
    /** Parked code of a Lead whose status is in no status.* key; replayable once the mapping names it. */
    public static final String UNMAPPED_STATUS = "UNMAPPED_STATUS";
    /** Ledger key prefix of a note about to be sent. */
    static final String INTENT_PREFIX = "intent:";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotDispositionWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HubSpotContactWriter writer;
    private final StateStore store;
    private final DispositionRules rules;
    private final String source;
    private final java.util.function.Consumer<String> onUnmapped;
    private java.util.function.Consumer<List<HandBack>> onHandBack = handBacks -> { };

    /**
     * A lead sales handed back to marketing (recycled, or rejected for a reverse-SLA reason), as HubSpot now shows it;
     * {@code lifecycleStage} is the stage this write set (null: unchanged), which is sales' move, not marketing's.
     */
    public record HandBack(String contactId, String sfId, Disposition disposition, String reason, String lifecycleStage, String leadStatus) {
    }

    public HubSpotDispositionWriter(HubSpotContactWriter writer, StateStore store, DispositionRules rules, String source) {
        this(writer, store, rules, source, status -> { });
    }

    /** @param onUnmapped told the status of every Lead parked as {@link #UNMAPPED_STATUS} (metrics, health) */
    public HubSpotDispositionWriter(HubSpotContactWriter writer, StateStore store, DispositionRules rules, String source,
                                    java.util.function.Consumer<String> onUnmapped) {
        this.writer = writer;
        this.store = store;
        this.rules = rules;
        this.source = source;
        this.onUnmapped = onUnmapped;
    }

    /** Who hears of the hand-backs a write delivered (the reverse SLA starts its clocks). */
    public HubSpotDispositionWriter onHandBack(java.util.function.Consumer<List<HandBack>> listener) {
        this.onHandBack = listener;
        return this;
    }

    public DispositionBatch write(DispositionBatch batch) {
        Map<String, List<SalesDisposition>> byEmail = new LinkedHashMap<>();
        Map<String, String> doneFingerprints = new LinkedHashMap<>();
        int unmapped = 0;
        for (DispositionBatch.UnmappedLead u : batch.unmapped()) {
            SalesDisposition d = u.lead();
            onUnmapped.accept(u.status());
            unmapped++;
            if (d.email() != null) {
                // parked, never dropped: the mapping is fixed, then `replay` sends it under the new rules
                store.parked().park(source, d.sfId() + ":" + d.email(), toJson(d, u.status()), "Lead Status \"" + u.status()
                        + "\" is in no status.* key of the disposition mapping; map it, then replay", ErrorKind.SKIPPABLE, UNMAPPED_STATUS);
            }
            doneFingerprints.put(d.stateKey(), d.fingerprint());
        }
        Prepared p = prepare(batch);
        p.noEmail().forEach(d -> doneFingerprints.put(d.stateKey(), d.fingerprint()));
        for (SalesDisposition d : p.awaiting()) {
            // the contact may reach HubSpot later (a form, an import): parked to be tried again, not dropped
            store.parked().park(source, d.sfId() + ":" + d.email(), toJson(d), "no HubSpot contact has this email yet",
                    ErrorKind.RETRIABLE, AWAITING_CONTACT);
            doneFingerprints.put(d.stateKey(), d.fingerprint());
        }
        int notInHubSpot = p.awaiting().size();
        List<HubSpotContactWriter.Update> clears = p.clears();
        List<HubSpotContactWriter.Update> updates = p.updates();
        List<HubSpotContactWriter.Note> notes = p.notes();
        Map<String, List<SalesDisposition>> byKey = p.byKey();
        List<HubSpotContactWriter.Failure> failures = new ArrayList<>();
        // two replicas that both believed they led would both update and both write notes: only the current term's leader does
        store.fence().verify("updating HubSpot contacts");
        if (!clears.isEmpty()) {
            // HubSpot moves a lifecycle stage backwards only from an empty value, so those are cleared first
            failures.addAll(writer.update(clears));
        }
        failures.addAll(writer.update(updates));
        Set<String> failedContacts = failures.stream().map(HubSpotContactWriter.Failure::key).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> known = store.ledger().existing(notes.stream().map(HubSpotContactWriter.Note::key).toList());
        List<HubSpotContactWriter.Note> newNotes = notes.stream().filter(n -> !known.contains(n.key()) && !failedContacts.contains(n.contactId())).toList();
        newNotes = unlessAlreadyThere(newNotes);
        List<HubSpotContactWriter.Failure> noteFailures = new ArrayList<>();
        // each batch is in the ledger before the next is sent, so a failure later in the run repeats no note
        if (!newNotes.isEmpty()) {
            store.fence().verify("creating HubSpot notes");
            writer.createNotes(newNotes, noteFailures, (noteKey, contactId) -> store.ledger().record(noteKey, source, "Note", contactId));
        }
        Set<String> failedNotes = noteFailures.stream().map(HubSpotContactWriter.Failure::key).collect(Collectors.toSet());

        int sent = 0;
        int unchanged = 0;
        int parked = 0;
        List<Dispositions.Verdict> verdicts = new ArrayList<>();
        List<HandBack> handBacks = new ArrayList<>();
        for (var entry : byKey.entrySet()) {
            SalesDisposition latest = entry.getValue().get(entry.getValue().size() - 1);
            for (SalesDisposition d : entry.getValue()) {
                HubSpotContactWriter.Failure failure = failures.stream().filter(f -> f.key().equals(entry.getKey())).findFirst()
                        .orElse(noteFailures.stream().filter(f -> f.key().equals(noteKey(d))).findFirst().orElse(null));
                if (failure == null && !failedNotes.contains(noteKey(d))) {
                    doneFingerprints.put(d.stateKey(), d.fingerprint());
                    // a record with no verdict (only its owner refreshed) is not a disposition sent
                    if (d.disposition() == null) {
                        unchanged++;
                    } else {
                        sent++;
                        if (d.disposition() == Disposition.REJECTED || d.disposition() == Disposition.LOST) {
                            verdicts.add(new Dispositions.Verdict(d.sfId(), d.disposition().value(), d.reason(), d.at(), null));
                        }
                        if (d == latest && rules.reverseSla().startsOn(d.disposition(), d.reason())) {
                            handBacks.add(new HandBack(entry.getKey(), d.sfId(), d.disposition(), d.reason(),
                                    written(updates, entry.getKey(), HubSpotNames.LIFECYCLE_STAGE), written(updates, entry.getKey(), HubSpotNames.LEAD_STATUS)));
                        }
                    }
                    continue;
                }
                store.parked().park(source, d.sfId() + ":" + d.email(), toJson(d), failure.reason().message(),
                        failure.reason().kind() == ErrorKind.RETRIABLE ? ErrorKind.RETRIABLE : ErrorKind.SKIPPABLE, failure.reason().code());
                // parked, so the fingerprint moves on: the parked record is where it is retried
                doneFingerprints.put(d.stateKey(), d.fingerprint());
                parked++;
            }
        }
        store.dispositions().saveFingerprints(doneFingerprints);
        store.dispositions().recordVerdicts(verdicts);
        if (!handBacks.isEmpty()) {
            onHandBack.accept(handBacks);
        }
        batch.outcome(sent, parked, notInHubSpot);
        batch.detail(unchanged, newNotes.size() - noteFailures.size(), unmapped);
        return batch;
    }

    /** The lifecycle stage this write set on the contact, or null when it left the stage as it was. */
    private static String written(List<HubSpotContactWriter.Update> updates, String contactId, String property) {
        return updates.stream().filter(u -> u.contactId().equals(contactId)).map(u -> u.properties().get(property))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** What a write would send, worked out from HubSpot's contacts (one batch read per 100 emails) without writing. */
    private record Prepared(List<SalesDisposition> noEmail, List<SalesDisposition> awaiting, List<HubSpotContactWriter.Update> clears,
                            List<HubSpotContactWriter.Update> updates, List<HubSpotContactWriter.Note> notes,
                            Map<String, List<SalesDisposition>> byKey, int contactReads) {
    }

    private Prepared prepare(DispositionBatch batch) {
        Map<String, List<SalesDisposition>> byEmail = new LinkedHashMap<>();
        List<SalesDisposition> noEmail = new ArrayList<>();
        for (SalesDisposition d : batch.dispositions()) {
            if (d.email() == null) {
                noEmail.add(d);
            } else {
                byEmail.computeIfAbsent(d.email(), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, HubSpotContactWriter.Contact> contacts = byEmail.isEmpty() ? Map.of()
                : writer.contacts(new ArrayList<>(byEmail.keySet()), List.of(HubSpotNames.EMAIL, HubSpotNames.LIFECYCLE_STAGE));
        Map<String, BigDecimal> wonAmounts = store.dispositions().wonAmounts(byEmail.keySet());
        List<SalesDisposition> awaiting = new ArrayList<>();
        List<HubSpotContactWriter.Update> clears = new ArrayList<>();
        List<HubSpotContactWriter.Update> updates = new ArrayList<>();
        List<HubSpotContactWriter.Note> notes = new ArrayList<>();
        Map<String, List<SalesDisposition>> byKey = new LinkedHashMap<>();
        for (var entry : byEmail.entrySet()) {
            HubSpotContactWriter.Contact contact = contacts.get(entry.getKey());
            if (contact == null) {
                awaiting.addAll(entry.getValue());
                continue;
            }
            List<SalesDisposition> all = entry.getValue().stream().sorted(Comparator.comparing(SalesDisposition::at,
                    Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
            SalesDisposition latest = all.get(all.size() - 1);
            Map<String, String> props = properties(latest, contact.properties().get(HubSpotNames.LIFECYCLE_STAGE), wonAmounts.get(entry.getKey()), clears, contact.id());
            String key = contact.id();
            byKey.put(key, all);
            if (!props.isEmpty()) {
                updates.add(new HubSpotContactWriter.Update(key, contact.id(), props));
            }
            for (SalesDisposition d : all) {
                if (d.disposition() == Disposition.REJECTED || d.disposition() == Disposition.LOST) {
                    notes.add(new HubSpotContactWriter.Note(noteKey(d), contact.id(), d.at() == null ? java.time.Instant.EPOCH : d.at(),
                            noteHtml(d) + marker(noteKey(d))));
                }
            }
        }
        return new Prepared(noEmail, awaiting, clears, updates, notes, byKey, batches(byEmail.size()));
    }

    /**
     * What {@link #write} would do with this batch, for {@code plan}: the same contact look-up (a read), no write to HubSpot
     * or to the state store. HubSpot may still refuse a value at write time; that cannot be known before.
     */
    public DispositionPlan plan(DispositionBatch batch, int samples) {
        Prepared p = prepare(batch);
        Set<String> known = store.ledger().existing(p.notes().stream().map(HubSpotContactWriter.Note::key).toList());
        List<HubSpotContactWriter.Note> newNotes = p.notes().stream().filter(n -> !known.contains(n.key())).toList();
        int sent = 0;
        int unchanged = 0;
        Map<String, List<String>> examples = new LinkedHashMap<>();
        for (List<SalesDisposition> all : p.byKey().values()) {
            for (SalesDisposition d : all) {
                if (d.disposition() == null) {
                    unchanged++;
                    sample(examples, "unchanged", d.sfRecordLabel() + ": no verdict, owner refreshed", samples);
                } else {
                    sent++;
                    sample(examples, "sent", d.sfRecordLabel() + ": " + d.disposition().value()
                            + (d.reason() == null ? "" : " (" + d.reason() + ")"), samples);
                }
            }
        }
        p.awaiting().forEach(d -> sample(examples, "awaiting-contact", d.sfRecordLabel() + ": no HubSpot contact has its email yet", samples));
        batch.unmapped().forEach(u -> sample(examples, "unmapped-status", u.lead().sfRecordLabel() + ": Lead Status \"" + u.status()
                + "\" is in no status.* key", samples));
        long writes = batches(p.clears().size()) + batches(p.updates().size()) + batches(newNotes.size());
        return new DispositionPlan(batch.dispositions().size() + batch.unmapped().size(), sent, p.updates().size(), newNotes.size(),
                unchanged, p.awaiting().size(), (int) batch.unmapped().stream().filter(u -> u.lead().email() != null).count(),
                batch.unmapped().size(), p.contactReads(), writes, examples);
    }

    private static void sample(Map<String, List<String>> examples, String kind, String line, int max) {
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < max) {
            list.add(line);
        }
    }

    private static int batches(int n) {
        return (n + HubSpotContactWriter.BATCH - 1) / HubSpotContactWriter.BATCH;
    }

    /**
     * Notes have no idempotency key in HubSpot, so each is announced in the ledger before it is sent. A note announced
     * but never confirmed (the daemon died between the two) is looked for on the contact's timeline by the key it
     * carries in a comment, and only created if it is not there.
     */
    private List<HubSpotContactWriter.Note> unlessAlreadyThere(List<HubSpotContactWriter.Note> notes) {
        if (notes.isEmpty()) {
            return notes;
        }
        Set<String> announced = store.ledger().existing(notes.stream().map(n -> INTENT_PREFIX + n.key()).toList());
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        List<HubSpotContactWriter.Note> toCreate = new ArrayList<>();
        for (HubSpotContactWriter.Note n : notes) {
            if (announced.contains(INTENT_PREFIX + n.key())) {
                List<String> onTimeline = bodies.computeIfAbsent(n.contactId(), writer::noteBodies);
                if (onTimeline.stream().anyMatch(b -> b.contains(marker(n.key())))) {
                    store.ledger().record(n.key(), source, "Note", n.contactId());
                    continue;
                }
            } else {
                store.ledger().record(INTENT_PREFIX + n.key(), source, "NoteIntent", n.contactId());
            }
            toCreate.add(n);
        }
        return toCreate;
    }

    /** Route step after the write: the cursor moves and the run is recorded. */
    public void commit(DispositionBatch batch) {
        if (batch.nextCursor() != null) {
            store.cursors().put(source, batch.nextCursor());
        }
        store.runs().finish(batch.runId(), SyncRuns.Status.SUCCEEDED, new SyncRuns.Counts(batch.dispositions().size()
                + batch.unmapped().size(), batch.sent(), batch.parked() + batch.unmappedCount(), 0, (int) batch.salesforceCalls()), null);
        // counts of what HubSpot confirmed, and of what went elsewhere: a poll that wrote nothing says so
        if (batch.sent() > 0 || batch.parked() > 0 || batch.notInHubSpot() > 0 || batch.unmappedCount() > 0) {
            LOG.info("{}: sent {} dispositions to HubSpot ({} notes), {} unchanged, {} parked, {} unmapped status, {} awaiting their HubSpot contact",
                    source, batch.sent(), batch.notes(), batch.unchanged(), batch.parked(), batch.unmappedCount(), batch.notInHubSpot());
        }
    }

    private Map<String, String> properties(SalesDisposition d, String currentStage, BigDecimal wonAmount,
                                           List<HubSpotContactWriter.Update> clears, String contactId) {
        Map<String, String> p = new LinkedHashMap<>();
        if (d.ownerName() != null) {
            p.put(HubSpotNames.SALES_OWNER, d.ownerName());
        }
        if (wonAmount != null) {
            p.put("closed_won_amount", wonAmount.stripTrailingZeros().toPlainString());
        }
        Disposition disposition = d.disposition();
        if (disposition == null) {
            return p;
        }
        p.put(HubSpotNames.SALES_DISPOSITION, disposition.value());
        if (d.at() != null) {
            p.put(HubSpotNames.SALES_DISPOSITION_AT, Long.toString(d.at().toEpochMilli()));
        }
        boolean rejected = disposition == Disposition.REJECTED || disposition == Disposition.RECYCLED;
        // an empty string clears a value (hubspot-api.md §5.2): a lead worked again loses its old rejection
        p.put(HubSpotNames.SALES_REJECTION_REASON, rejected && d.reason() != null ? HubSpotPropertySetup.optionValue(d.reason()) : "");
        p.put(HubSpotNames.SALES_REJECTION_DETAIL, rejected && d.detail() != null ? d.detail() : "");
        String leadStatus = rules.hubspotLeadStatus().get(disposition);
        if (leadStatus != null) {
            p.put(HubSpotNames.LEAD_STATUS, leadStatus);
        }
        String stage = rules.hubspotLifecycle().get(disposition);
        if (stage != null && !stage.equals(currentStage)) {
            // a contact without a stage yet (List.of rejects a null look-up) moves forward from nothing
            int from = currentStage == null ? -1 : DispositionRules.LIFECYCLE_ORDER.indexOf(currentStage);
            int to = DispositionRules.LIFECYCLE_ORDER.indexOf(stage);
            boolean backwards = from >= 0 && to >= 0 && to < from;
            if (!backwards) {
                p.put(HubSpotNames.LIFECYCLE_STAGE, stage);
            } else if (rules.allowBackwards()) {
                clears.add(new HubSpotContactWriter.Update(contactId, contactId, Map.of(HubSpotNames.LIFECYCLE_STAGE, "")));
                p.put(HubSpotNames.LIFECYCLE_STAGE, stage);
            }
        }
        return p;
    }

    static String noteKey(SalesDisposition d) {
        return NOTE_PREFIX + (d.disposition() == null ? "owner" : d.disposition().value()) + ":" + d.sfId() + ":" + d.email() + ":" + d.fingerprint();
    }

    /** The note's key, invisible in HubSpot, so an operator can tell which Salesforce change a note came from. */
    static String marker(String noteKey) {
        return "<!-- closedloop " + escape(noteKey).replace("--", "- -") + " -->";
    }

    /** Plain words a marketer understands: who, when, what, why. */
    static String noteHtml(SalesDisposition d) {
        StringBuilder h = new StringBuilder("<p><strong>");
        String when = d.at() == null ? "" : " on " + WHEN.format(d.at());
        String who = d.ownerName() == null ? "Sales" : escape(d.ownerName());
        if (d.disposition() == Disposition.REJECTED) {
            h.append(who).append(" rejected this lead").append(escape(when)).append(".</strong></p>");
            h.append("<p>Reason: ").append(d.reason() == null ? "none given" : escape(d.reason())).append("</p>");
            if (d.detail() != null) {
                h.append("<p>In their words: ").append(escape(d.detail())).append("</p>");
            }
        } else {
            h.append("The deal was lost").append(escape(when)).append(".</strong></p>");
            h.append("<p>").append(escape(d.sfRecordLabel())).append(d.amount() == null ? "" : ", " + d.amount().stripTrailingZeros().toPlainString())
                    .append(". Owner: ").append(who).append(".</p>");
        }
        h.append("<p>From Salesforce ").append(escape(d.sfRecordLabel())).append(" (").append(escape(d.sfId())).append("), by Closedloop.</p>");
        return h.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String toJson(SalesDisposition d) {
        return toJson(d, null);
    }

    /** The parked payload; {@code status} is the Lead Status of an unmapped Lead, re-resolved at replay. */
    private static String toJson(SalesDisposition d, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (status != null) {
            m.put("status", status);
        }
        m.put("sfId", d.sfId());
        m.put("email", d.email());
        m.put("disposition", d.disposition() == null ? null : d.disposition().value());
        m.put("reason", d.reason());
        m.put("detail", d.detail());
        m.put("owner", d.ownerName());
        m.put("record", d.sfRecordLabel());
        m.put("at", d.at() == null ? null : d.at().toString());
        m.put("amount", d.amount());
        m.put("fingerprint", d.fingerprint());
        m.put("stateKey", d.stateKey());
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
