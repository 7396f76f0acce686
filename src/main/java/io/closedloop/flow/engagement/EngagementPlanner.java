package io.closedloop.flow.engagement;

import io.closedloop.core.EngagementEvent;
import io.closedloop.core.EngagementPlan;
import io.closedloop.core.SourceRead;
import io.closedloop.flow.PolledSourceRunner;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceIdentityResolver.Resolution;
import io.closedloop.salesforce.SalesforceIdentityResolver.Target;
import io.closedloop.salesforce.SalesforceKeyMomentTasks;
import io.closedloop.state.StateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Flow 1's dry run, for {@code plan}: every engagement source reads its next window without storing a cursor or a
 * run, and the sink's own rules work out what a run would write and park, from the ledger and one identity look-up
 * per source. Nothing is written to Salesforce, HubSpot or the cursors.
 */
public class EngagementPlanner {
    public static final String BEAN = "engagementPlanner";

    private final List<PolledSourceRunner> sources;
    private final SalesforceClient client;
    private final StateStore store;
    private final SalesforceIdentityResolver resolver;
    private final SalesforceKeyMomentTasks tasks;

    public EngagementPlanner(List<PolledSourceRunner> sources, SalesforceClient client, StateStore store,
                             SalesforceIdentityResolver resolver, SalesforceKeyMomentTasks tasks) {
        this.sources = List.copyOf(sources);
        this.client = client;
        this.store = store;
        this.resolver = resolver;
        this.tasks = tasks;
    }

    /** One plan per source, in the order the flow binds them. */
    public List<EngagementPlan> plan(int samples) {
        List<EngagementPlan> out = new ArrayList<>();
        for (PolledSourceRunner source : sources) {
            SourceRead read = source.preview();
            out.add(plan(source.source().key(), read.events(), samples));
        }
        return out;
    }

    /**
     * What {@link SalesforceActivitySink#write} would do with these events, for {@code plan}: the ledger and the identity look-up are read
     * (one batched query), nothing is written to Salesforce and no Lead is created (an MQL with no match counts as
     * UNMATCHED, which CLOSEDLOOP_UNMATCHED_MQL=create-lead would turn into a new Lead).
     */
    EngagementPlan plan(String flow, List<EngagementEvent> events, int samples) {
        return plan(flow, events, samples, new HashSet<>());
    }

    /**
     * As {@link #plan(String, List, int)} for one chunk of a backfill: the Leads and Contacts whose summary fields the
     * writes would queue are added to {@code touched}, so that a range counts each once.
     */
    public EngagementPlan plan(String flow, List<EngagementEvent> events, Set<String> touched) {
        return plan(flow, events, 0, touched);
    }

    private EngagementPlan plan(String flow, List<EngagementEvent> events, int samples, Set<String> targets) {
        long callsBefore = client.calls();
        SalesforceActivitySink.Fresh fresh = SalesforceActivitySink.fresh(tasks, store, events);
        Map<String, EngagementEvent> unique = fresh.unique();
        List<EngagementEvent> taskPending = fresh.taskPending();
        Set<String> known = fresh.known();
        Map<String, Integer> activities = new java.util.TreeMap<>();
        Map<String, Integer> parked = new java.util.TreeMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        int targetsBefore = targets.size();
        Set<String> parkedIds = new HashSet<>();
        Resolution resolution = null;
        if (!unique.isEmpty() || !taskPending.isEmpty()) {
            Set<String> emails = unique.values().stream().map(EngagementEvent::email).filter(Objects::nonNull)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            taskPending.stream().map(EngagementEvent::email).filter(Objects::nonNull).forEach(emails::add);
            resolution = resolver.resolve(emails, List.of());
            for (EngagementEvent e : unique.values()) {
                String why = SalesforceActivitySink.unwritable(e, resolution);
                if (why != null) {
                    String code = why.substring(0, why.indexOf(':'));
                    parked.merge(code, 1, Integer::sum);
                    parkedIds.add(e.id());
                    sample(examples, "parked " + code, "event " + e.id() + " (" + e.type().label() + ")", samples);
                    continue;
                }
                Target t = resolution.byEmail().get(e.email());
                activities.merge(e.type().label(), 1, Integer::sum);
                targets.add(t.id());
                sample(examples, "activity", "event " + e.id() + " (" + e.type().label() + ") -> " + t.sobject() + " " + t.id(), samples);
            }
        }
        Resolution r = resolution;
        int taskCount = (int) taskPending.stream().filter(e -> !parkedIds.contains(e.id()) && r != null && r.byEmail().containsKey(e.email())).count();
        int written = activities.values().stream().mapToInt(Integer::intValue).sum();
        int summaryRecords = targets.size() - targetsBefore;
        long writes = collections(written) + collections(taskCount) + collections(summaryRecords);
        return new EngagementPlan(flow, events.size(), known.size(), activities, taskCount, summaryRecords, parked,
                client.calls() - callsBefore, writes, examples);
    }

    private static void sample(Map<String, List<String>> examples, String kind, String line, int max) {
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < max) {
            list.add(line);
        }
    }

    /** sObject Collections calls for n records (salesforce-api.md §3: up to 200 per call). */
    private static long collections(int n) {
        return (n + 199) / 200;
    }

}
