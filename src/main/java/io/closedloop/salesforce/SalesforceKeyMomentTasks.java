package io.closedloop.salesforce;

import static io.closedloop.salesforce.SalesforceNames.EVENT_ID;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.KeyMoments;
import io.closedloop.state.StateStore;
import io.closedloop.core.Classification;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementEventCodec;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Key moments (a form submission, an MQL, a pricing-page visit) also become a completed Task, so they show in the
 * standard activity timeline. Task takes no external id (salesforce-api.md §7.3), so a Task is created only when
 * neither the local ledger nor Salesforce (one packed query by its event id field) already has it.
 */
public class SalesforceKeyMomentTasks {
    public static final String PREFIX = "task:";

    private final SalesforceClient client;
    private final StateStore store;
    private final KeyMoments moments;
    private final String apiVersion;

    public SalesforceKeyMomentTasks(SalesforceClient client, StateStore store, KeyMoments moments, String apiVersion) {
        this.client = client;
        this.store = store;
        this.moments = moments;
        this.apiVersion = apiVersion;
    }

    /** Key-moment events of the batch whose Task is not yet known to be written. */
    public List<EngagementEvent> pending(List<EngagementEvent> events) {
        if (!moments.enabled()) {
            return List.of();
        }
        List<EngagementEvent> candidates = events.stream().filter(moments::matches).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<String> done = store.ledger().existing(candidates.stream().map(e -> PREFIX + e.id()).toList());
        return candidates.stream().filter(e -> !done.contains(PREFIX + e.id())).toList();
    }

    /** Creates the Tasks of events whose person is known; returns how many were parked. */
    public int write(String flow, List<EngagementEvent> events, Map<String, SalesforceIdentityResolver.Target> targets) {
        List<EngagementEvent> writable = events.stream().filter(e -> e.email() != null && targets.containsKey(e.email())).toList();
        if (writable.isEmpty()) {
            return 0;
        }
        Map<String, String> existing = existingTasks(writable);
        List<SalesforceWrite> writes = new ArrayList<>();
        Map<String, EngagementEvent> byKey = new LinkedHashMap<>();
        for (EngagementEvent e : writable) {
            if (existing.containsKey(e.id())) {
                // written before a crash cut the ledger write short
                store.ledger().record(PREFIX + e.id(), flow, "Task", existing.get(e.id()));
                continue;
            }
            writes.add(SalesforceWrite.create(e.id(), "Task", fields(e, targets.get(e.email()))));
            byKey.put(e.id(), e);
        }
        int parked = 0;
        if (!writes.isEmpty()) {
            store.fence().verify("creating key-moment Tasks");
        }
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, writes)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                EngagementEvent e = byKey.get(r.write().key());
                if (r.success()) {
                    store.ledger().record(PREFIX + e.id(), flow, "Task", r.id());
                    continue;
                }
                Classification c = r.failure();
                if (c.kind() == ErrorKind.FATAL) {
                    throw new FatalSyncException(c.code(), c.message(), null);
                }
                // the activity itself is written; the Task is parked on its own key so a replay creates just the Task
                store.parked().park(flow, PREFIX + e.id(), EngagementEventCodec.toJson(e), "Task not created: " + c.message(),
                        c.kind() == ErrorKind.RETRIABLE ? ErrorKind.RETRIABLE : ErrorKind.SKIPPABLE, c.code());
                parked++;
            }
        }
        return parked;
    }

    private Map<String, String> existingTasks(List<EngagementEvent> events) {
        List<String> ids = events.stream().map(EngagementEvent::id).toList();
        List<String> soqls = SalesforceSoql.inLists(ids, SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream()
                .map(in -> "SELECT Id, " + EVENT_ID + " FROM Task WHERE " + EVENT_ID + " IN (" + in + ")").toList();
        Map<String, String> out = new LinkedHashMap<>();
        for (List<JsonNode> rows : client.queries(soqls)) {
            rows.forEach(r -> out.put(r.path(EVENT_ID).asText(), r.path("Id").asText()));
        }
        return out;
    }

    static Map<String, Object> fields(EngagementEvent e, SalesforceIdentityResolver.Target t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("WhoId", t.id());
        if (!t.lead() && t.accountId() != null) {
            f.put("WhatId", t.accountId());
        }
        // a Task cannot belong to a queue, so a Lead owned by one keeps the integration user as assignee
        if (t.ownerId() != null && t.ownerId().startsWith("005")) {
            f.put("OwnerId", t.ownerId());
        }
        String subject = "Marketing: " + subject(e);
        f.put("Subject", subject.length() <= 255 ? subject : subject.substring(0, 254) + "…");
        f.put("ActivityDate", e.occurredAt().atZone(ZoneOffset.UTC).toLocalDate().toString());
        f.put("Status", "Completed");
        f.put("Priority", "Normal");
        f.put("TaskSubtype", "Task");
        StringBuilder d = new StringBuilder(e.type().label()).append(" at ").append(e.occurredAt()).append(" (").append(e.source().label()).append(')');
        if (e.url() != null) {
            d.append('\n').append(e.url());
        }
        e.details().forEach((k, v) -> d.append('\n').append(k).append(": ").append(v));
        f.put("Description", d.length() <= 32_000 ? d.toString() : d.substring(0, 31_999) + "…");
        f.put(EVENT_ID, e.id());
        return f;
    }

    static String subject(EngagementEvent e) {
        String asset = e.assetName() == null ? "" : " '" + e.assetName() + "'";
        return switch (e.type()) {
            case FORM_SUBMISSION -> "submitted" + asset + " form";
            case BECAME_MQL -> "became a marketing qualified lead";
            case PAGE_VISIT -> "visited" + (e.assetName() == null ? " the website" : " " + e.assetName());
            case EMAIL_CLICK -> "clicked" + asset + " email";
            case EMAIL_OPEN -> "opened" + asset + " email";
            case LIST_JOINED -> "joined" + asset + " list";
            default -> e.type().label().toLowerCase(java.util.Locale.ROOT) + asset;
        };
    }
}
