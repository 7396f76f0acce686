package io.closedloop.flow.backfill;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.DispositionBatch;
import io.closedloop.core.FlowId;
import io.closedloop.core.StartFrom;
import io.closedloop.flow.SalesforceSchemaGate;
import io.closedloop.core.WriteOutcome;
import io.closedloop.flow.engagement.EngagementPlanner;
import io.closedloop.flow.engagement.EngagementReaders;
import io.closedloop.flow.engagement.SalesforceActivitySink;
import io.closedloop.flow.feedback.FeedbackFlow;
import io.closedloop.flow.feedback.HubSpotFeedbackSetup;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.salesforce.SalesforceBulkWriter;
import io.closedloop.salesforce.SalesforceCampaignAttribution;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.state.StateStore;
import io.closedloop.state.TimeWindowCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.spi.Registry;

/**
 * One {@code closedloop backfill}: the beans the flows bound (clients with their budgets, the activity sink with its
 * Bulk writer, the feedback setup and attribution), driven over a range by {@link Backfill}.
 */
public final class BackfillJob {
    public enum Part { ENGAGEMENT, FEEDBACK }

    /** @param args the command's own words for the range, so a resumed run is told from a new one */
    public record Options(String args, Instant since, Instant until, Set<Part> parts, boolean dryRun, Duration window) {
    }

    private static final List<FlowId> WINDOWED = List.of(FlowId.HUBSPOT_EMAIL_EVENTS, FlowId.HUBSPOT_FORM_SUBMISSIONS);

    private final ClosedloopSettings settings;
    private final StateStore store;
    private final Clock clock;
    private final Registry registry;
    private final Backfill.Listener listener;
    private final Backfill.Sleeper sleeper;

    public BackfillJob(ClosedloopSettings settings, StateStore store, Clock clock, Registry registry, Backfill.Listener listener,
                       Backfill.Sleeper sleeper) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.registry = registry;
        this.listener = listener;
        this.sleeper = sleeper;
    }

    private <T> T bean(String name, Class<T> type) {
        T bean = registry.lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean " + name + " is bound");
        }
        return bean;
    }

    public BackfillTotals totals() {
        SalesforceBulkWriter bulk = bean("salesforceBulkWriter", SalesforceBulkWriter.class);
        return new BackfillTotals(bean("salesforceClient", SalesforceClient.class)::calls, bean("hubSpotClient", HubSpotClient.class)::calls,
                bulk::jobs);
    }

    public BackfillTotals run(Options o, BackfillTotals totals) {
        SalesforceActivitySink sink = bean("salesforceActivitySink", SalesforceActivitySink.class);
        Backfill backfill = new Backfill(store.cursors(), clock, listener, sleeper, totals);
        List<FlowId> sources = new ArrayList<>(WINDOWED);
        sources.add(FlowId.HUBSPOT_LIST_MEMBERSHIPS);
        sources.add(FlowId.SALESFORCE_DISPOSITIONS);
        Backfill.Range fresh = new Backfill.Range(o.args(), o.since(), o.until(), o.window());
        // a dry run reads from the start and leaves a backfill under way alone
        Backfill.Range range = o.dryRun() ? fresh : backfill.begin(fresh, sources);
        boolean engagement = o.parts().contains(Part.ENGAGEMENT);
        windowsTotal(range, engagement, totals);
        if (engagement) {
            listener.phase("engagement");
            if (!o.dryRun()) {
                backfill.pausing(() -> {
                    bean("salesforceSchemaGate", SalesforceSchemaGate.class).verify();
                    return null;
                });
            }
            // a dry run only counts what it reads
            Backfill.EngagementSink write = o.dryRun() ? (flow, events) -> new WriteOutcome(events.size(), 0, 0, 0, 0)
                    : (flow, events) -> sink.writeQueuingSummaries(flow, events, List.of(), settings.salesforceBulkThreshold());
            engagement(backfill, range, write, !o.dryRun());
        }
        if (o.parts().contains(Part.FEEDBACK) && !o.dryRun()) {
            listener.phase("feedback");
            feedback(backfill, range, totals);
        }
        if (!o.dryRun()) {
            listener.phase("summaries");
            // once for everyone the windows touched, from the durable queue the writes filled
            backfill.pausing(sink::flushSummaries);
            backfill.finish(sources);
        }
        return totals;
    }

    /**
     * What {@link #run} would do over the range, for {@code plan --backfill}: the same readers, windows and chunks,
     * each chunk counted by the live planners' rules. Nothing is written to Salesforce, HubSpot or the backfill's
     * cursors (a backfill under way is left alone); the reads are real and counted.
     */
    public BackfillPlan plan(Options o, BackfillTotals totals) {
        Backfill backfill = new Backfill(store.cursors(), clock, listener, sleeper, totals);
        Backfill.Range range = new Backfill.Range(o.args(), o.since(), o.until(), o.window());
        BackfillPlan plan = new BackfillPlan();
        boolean engagement = o.parts().contains(Part.ENGAGEMENT);
        windowsTotal(range, engagement, totals);
        if (engagement) {
            listener.phase("engagement");
            // the readers re-read at most their sweep depth (and seconds of overlap) before a window's start; an hour more is margin
            BackfillPlanner planner = new BackfillPlanner(bean(EngagementPlanner.BEAN, EngagementPlanner.class), settings.salesforceBulkThreshold(),
                    bean("salesforceBulkWriter", SalesforceBulkWriter.class)::available, settings.sweepDepth().plusHours(1), plan);
            engagement(backfill, range, planner, false);
        }
        if (o.parts().contains(Part.FEEDBACK)) {
            listener.phase("feedback");
            planFeedback(backfill, range, plan);
        }
        return plan;
    }

    private void windowsTotal(Backfill.Range range, boolean engagement, BackfillTotals totals) {
        totals.windowsTotal(engagement ? range.windows() * WINDOWED.size() + (settings.hubspotListIds().isEmpty() ? 0 : 1) : 0);
    }

    /** Email events, form submissions, then list joins, each window by window into {@code sink}. */
    private void engagement(Backfill backfill, Backfill.Range range, Backfill.EngagementSink sink, boolean commit) {
        HubSpotClient hubspot = bean("hubSpotClient", HubSpotClient.class);
        StartFrom since = StartFrom.at(range.since());
        backfill.engagement(EngagementReaders.emailEvents(hubspot, settings, since), range, sink, commit, true);
        backfill.engagement(EngagementReaders.formSubmissions(hubspot, settings, since, Duration.ZERO), range, sink, commit, true);
        if (!settings.hubspotListIds().isEmpty()) {
            // one read: a list's members carry their join time; the live source keeps its own stored members
            Backfill.Range whole = new Backfill.Range(range.args(), range.since(), range.until(),
                    Duration.between(range.since(), range.until()).plusMillis(1));
            backfill.engagement(EngagementReaders.listMemberships(hubspot, store, settings, since), whole, sink, commit, false);
        }
    }

    /**
     * The feedback windows as {@link #feedback} reads them, counted by the writer's plan. The plan reads each record
     * once (no overlap, from the same first instant): the backfill reads the overlap again and skips what it sent.
     */
    private void planFeedback(Backfill backfill, Backfill.Range range, BackfillPlan plan) {
        SalesforceDispositionReader reader = new SalesforceDispositionReader(bean("salesforceClient", SalesforceClient.class), store,
                settings.dispositionRules(), clock, StartFrom.at(range.since()), Duration.ZERO, Backfill.key(FlowId.SALESFORCE_DISPOSITIONS),
                status -> { }, settings.pollChunk());
        HubSpotDispositionWriter writer = new HubSpotDispositionWriter(new HubSpotContactWriter(bean("hubSpotClient", HubSpotClient.class)),
                store, settings.dispositionRules(), Backfill.key(FlowId.SALESFORCE_DISPOSITIONS));
        plan.planningFeedback();
        TimeWindowCursor cursor = new TimeWindowCursor(range.since().minus(FeedbackFlow.SETTLE), 0);
        Instant end = range.since();
        while (end.isBefore(range.until())) {
            Instant next = end.plus(range.window());
            end = next.isBefore(range.until()) ? next : range.until();
            Instant until = end;
            DispositionBatch batch;
            do {
                TimeWindowCursor from = cursor;
                batch = backfill.pausing(() -> reader.preview(from, until));
                DispositionBatch read = batch;
                plan.feedback(backfill.pausing(() -> writer.plan(read, 0)), batch.salesforceCalls());
                cursor = TimeWindowCursor.parse(batch.nextCursor());
            } while (batch.more());
        }
    }

    /**
     * Dispositions and closed opportunities modified in the range, window by window (each in chunks), sent as the live
     * flow sends them; the reader's cursor under the backfill's key is where a killed run continues.
     */
    private void feedback(Backfill backfill, Backfill.Range range, BackfillTotals totals) {
        SalesforceClient salesforce = bean("salesforceClient", SalesforceClient.class);
        String key = Backfill.key(FlowId.SALESFORCE_DISPOSITIONS);
        SalesforceDispositionReader reader = new SalesforceDispositionReader(salesforce, store, settings.dispositionRules(), clock,
                StartFrom.at(range.since()), FeedbackFlow.SETTLE, key, status -> { }, settings.pollChunk());
        HubSpotDispositionWriter writer = new HubSpotDispositionWriter(new HubSpotContactWriter(bean("hubSpotClient", HubSpotClient.class)),
                store, settings.dispositionRules(), key);
        HubSpotFeedbackSetup setup = bean("hubSpotFeedbackSetup", HubSpotFeedbackSetup.class);
        SalesforceCampaignAttribution attribution = bean("salesforceCampaignAttribution", SalesforceCampaignAttribution.class);
        Instant done = store.cursors().get(key).filter(c -> !c.isEmpty()).map(c -> TimeWindowCursor.parse(c).watermark()).orElse(range.since());
        Instant end = range.since();
        while (end.isBefore(range.until())) {
            Instant next = end.plus(range.window());
            end = next.isBefore(range.until()) ? next : range.until();
            if (!end.isAfter(done)) {
                // read through before a kill
                continue;
            }
            Instant until = end;
            DispositionBatch batch;
            do {
                batch = backfill.pausing(() -> {
                    setup.verify();
                    return reader.read(until);
                });
                DispositionBatch read = batch;
                backfill.pausing(() -> writer.write(attribution.attribute(read)));
                writer.commit(batch);
                totals.dispositions(batch.sent(), batch.parked());
            } while (batch.more());
        }
    }
}
