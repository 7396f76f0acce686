package io.closedloop.flow.engagement;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.FlowId;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.flow.PolledSourceRunner;
import io.closedloop.flow.sla.ReverseSlaActions;
import io.closedloop.core.ReverseSla;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.salesforce.SalesforceAccountFinder;
import io.closedloop.salesforce.SalesforceActivityWriter;
import io.closedloop.salesforce.SalesforceBulkWriter;
import io.closedloop.salesforce.SalesforceKeyMomentTasks;
import io.closedloop.salesforce.SalesforceLeadCreator;
import io.closedloop.salesforce.SalesforceSummaryWriter;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import io.closedloop.salesforce.SalesforceSlaClockStarter;
import io.closedloop.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Flow 1, HubSpot engagement into Salesforce: a runner per polled source (routes/hubspot-engagement-source),
 * the activity sink (routes/salesforce-activity-sink), the unmatched retry, and the replay of parked engagement
 * and summary writes.
 */
public final class EngagementFlow implements FlowBinding {
    /** Overlap of each form's watermark, for submissions indexed a little late. */
    static final Duration FORM_OVERLAP = Duration.ofSeconds(5);
    /** The summary writer's bean: the runtime tells it when Lead summaries wait for Flow 2's first read. */
    public static final String SUMMARY_WRITER = "salesforceSummaryWriter";
    /** Pause between the per-record retry rounds of one batch (row locks). */
    static final Duration RECORD_RETRY_BACKOFF = Duration.ofMillis(500);

    @Override
    public void bind(FlowContext c) {
        ClosedloopSettings settings = c.settings();
        StateStore store = c.store();
        HubSpotClient hubspot = c.hubspot();
        List<PolledSourceRunner> sources = new ArrayList<>();
        sources.add(source(c, "hubSpotEmailEventSource", EngagementReaders.emailEvents(hubspot, settings, settings.startFrom())));
        sources.add(source(c, "hubSpotFormSubmissionSource",
                EngagementReaders.formSubmissions(hubspot, settings, settings.startFrom(), settings.hubspotFormFullRead())));
        // both also tell the reverse SLA when marketing acted on a lead sales handed back
        ReverseSla reverse = settings.dispositionRules().reverseSla();
        sources.add(source(c, "hubSpotContactChangeSource", ReverseSlaActions.watching(new HubSpotContactChangeReader(hubspot, store.contactStates(),
                ReaderWindows.contactChanges(settings.startFrom()), new HubSpotContactChangeReader.MqlDefinition(
                        settings.dispositionRules().mqlStage(), settings.dispositionRules().mqlScore()), settings.pollChunk()), store, reverse)));
        sources.add(source(c, "hubSpotListMembershipSource", ReverseSlaActions.watching(
                EngagementReaders.listMemberships(hubspot, store, settings, settings.startFrom()), store, reverse)));

        SalesforceIdentityResolver resolver = new SalesforceIdentityResolver(c.salesforce(), settings.preferContact(),
                settings.duplicatePolicy(), store.identities(), c.clock(), settings.identityCache());
        String apiVersion = settings.salesforceApiVersion();
        SalesforceKeyMomentTasks keyMomentTasks = new SalesforceKeyMomentTasks(c.salesforce(), store, settings.keyMoments(), apiVersion);
        SalesforceBulkWriter bulk = new SalesforceBulkWriter(c.salesforce());
        c.bind("salesforceBulkWriter", bulk);
        SalesforceSummaryWriter summaries = new SalesforceSummaryWriter(c.salesforce(), store, settings.fieldMapping(), c.clock(), apiVersion);
        c.bind(SUMMARY_WRITER, summaries);
        c.bind(SummaryFlusher.BEAN, new SummaryFlusher(summaries, c.meters(), c.clock(), settings.summaryInterval()));
        SalesforceActivitySink sink = new SalesforceActivitySink(c.salesforce(), store, resolver,
                new SalesforceLeadCreator(c.salesforce(), c.clock(), apiVersion, settings.createLeadsForUnmatchedMqls(), store.fence()),
                new SalesforceAccountFinder(c.salesforce(), store.domainAccounts(), c.clock()),
                new SalesforceActivityWriter(c.salesforce(), apiVersion, RECORD_RETRY_BACKOFF, bulk, settings.salesforceLiveBulkThreshold()),
                keyMomentTasks,
                summaries, c.clock());
        sink.startingSlaClocks(new SalesforceSlaClockStarter(c.salesforce(), store, settings.dispositionRules(), c.clock()));
        c.bind("salesforceActivitySink", sink);
        // a chunk read ahead has its people and Accounts looked up while the chunk before it is written
        sources.forEach(r -> r.prefetching(read -> sink.prefetch(read.events(), read.profiles())));
        c.bind(EngagementPlanner.BEAN, new EngagementPlanner(sources, c.salesforce(), store, resolver, keyMomentTasks));

        SalesforceActivityReplay activityReplay = new SalesforceActivityReplay(c.schemaGate(), sink, store);
        c.bind("salesforceUnmatchedRetry", new SalesforceUnmatchedRetry(store, activityReplay,
                new SalesforceUnmatchedBackoff(settings.unmatchedRetryInterval(), settings.unmatchedRetryMaxBackoff()), c.clock()));
        c.parkedReplay()
                .register(activityReplay, Stream.of(FlowId.values()).filter(FlowId::engagementSource).toArray(FlowId[]::new))
                .register(new SalesforceSummaryReplay(c.schemaGate(), sink, store), FlowId.SALESFORCE_SUMMARY);
    }

    private static PolledSourceRunner source(FlowContext c, String bean, io.closedloop.core.PolledSource reader) {
        PolledSourceRunner runner = new PolledSourceRunner(c.store(), c.clock(), reader, c.hubspot()::calls, c.settings().pollInterval());
        c.bind(bean, runner);
        return runner;
    }
}
