package io.closedloop.flow.feedback;

import io.closedloop.config.DispositionRules;
import io.closedloop.core.FlowId;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.hubspot.HubSpotPropertySetup;
import io.closedloop.ops.UnmappedDispositionStatuses;
import io.closedloop.salesforce.SalesforceCampaignAttribution;
import io.closedloop.salesforce.SalesforceDispositionReader;
import io.closedloop.salesforce.SalesforceSqlStamps;
import io.closedloop.salesforce.SalesforceFunnelReader;
import io.closedloop.flow.report.FunnelReport;
import java.time.Duration;

/**
 * Flow 2, the sales verdict back to HubSpot (routes/salesforce-dispositions-source, hubspot-disposition-sink), campaign
 * attribution (routes/observe-attribution) and the replay of parked dispositions.
 */
public final class FeedbackFlow implements FlowBinding {
    /**
     * How far before its watermark the disposition reader reads at every poll: a Lead, Contact or Opportunity that
     * becomes visible to a query up to this long after its {@code SystemModstamp} (a late commit) is still read.
     */
    public static final Duration SETTLE = Duration.ofSeconds(60);
    /** The bean counting unmapped Lead statuses, for the runtime's health check. */
    public static final String UNMAPPED_BEAN = "unmappedDispositionStatuses";

    /** Says once per status that Leads in an unmapped status with a rejection reason are sent as rejections. */
    static final class ReasonRuleNotice implements java.util.function.Consumer<String> {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeedbackFlow.class);
        private final java.util.Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void accept(String status) {
            if (told.add(String.valueOf(status))) {
                LOG.warn("Lead Status \"{}\" is in no status.* key; leads in it with a rejection reason are sent to HubSpot as rejected "
                        + "({}=rejected). Map the status to silence this", status, DispositionRules.UNMAPPED_WITH_REASON_KEY);
            }
        }
    }

    @Override
    public void bind(FlowContext c) {
        DispositionRules rules = c.settings().dispositionRules();
        HubSpotFeedbackSetup setup = new HubSpotFeedbackSetup(new HubSpotPropertySetup(c.hubspot()), c.salesforce(), rules);
        c.bind("hubSpotFeedbackSetup", setup);
        UnmappedDispositionStatuses unmapped = new UnmappedDispositionStatuses(c.meters());
        c.bind(UNMAPPED_BEAN, unmapped);
        SalesforceDispositionReader reader = new SalesforceDispositionReader(c.salesforce(), c.store(), rules, c.clock(),
                c.settings().startFrom(), SETTLE, SalesforceDispositionReader.SOURCE, new ReasonRuleNotice(), c.settings().pollChunk());
        c.bind("salesforceDispositionReader", reader);
        c.bind("salesforceCampaignAttribution", new SalesforceCampaignAttribution(c.salesforce(), c.store()));
        HubSpotDispositionWriter writer = new HubSpotDispositionWriter(c.hubspotContacts(), c.store(), rules,
                FlowId.SALESFORCE_DISPOSITIONS.key(), unmapped::seen);
        c.bind("hubSpotDispositionWriter", writer);
        c.bind("salesQualifiedMoments", new SalesQualifiedMoments(c.store(), c.hubspotContacts(),
                new SalesforceSqlStamps(c.salesforce(), c.settings().salesforceApiVersion()), FlowId.SALESFORCE_DISPOSITIONS.key(), c.meters()));
        c.bind(FeedbackPlanner.BEAN, new FeedbackPlanner(reader, writer, c.store().sqlMoments()));
        HubSpotDispositionReplay replay = new HubSpotDispositionReplay(setup, writer, c.store().parked(), rules);
        c.parkedReplay().register(replay, FlowId.SALESFORCE_DISPOSITIONS);
        c.bind("hubSpotAwaitingContactRetry", new HubSpotAwaitingContactRetry(c.store().parked(), replay, c.clock(),
                c.settings().unmatchedRetryInterval(), c.settings().contactWait()));
        c.bind("attributionReport", new AttributionReport(c.store()));
        c.bind(FunnelReport.BEAN, new FunnelReport(c.store(), new SalesforceFunnelReader(c.salesforce()), rules, c.clock()));
    }
}
