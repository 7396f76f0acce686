package io.closedloop.flow.feedback;

import io.closedloop.config.DispositionRules;
import io.closedloop.core.FlowId;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.hubspot.HubSpotPropertySetup;
import io.closedloop.salesforce.SalesforceCampaignAttribution;
import io.closedloop.salesforce.SalesforceDispositionReader;
import java.time.Duration;

/**
 * Flow 2, the sales verdict back to HubSpot (routes/salesforce-dispositions-source, hubspot-disposition-sink), campaign
 * attribution (routes/observe-attribution) and the replay of parked dispositions.
 */
public final class FeedbackFlow implements FlowBinding {
    /** How far behind now the disposition reader stays, so records saved in the same second are not skipped. */
    public static final Duration SETTLE = Duration.ofSeconds(60);

    @Override
    public void bind(FlowContext c) {
        DispositionRules rules = c.settings().dispositionRules();
        HubSpotFeedbackSetup setup = new HubSpotFeedbackSetup(new HubSpotPropertySetup(c.hubspot()), c.salesforce(), rules);
        c.bind("hubSpotFeedbackSetup", setup);
        c.bind("salesforceDispositionReader", new SalesforceDispositionReader(c.salesforce(), c.store(), rules, c.clock(),
                c.settings().startFrom(), SETTLE));
        c.bind("salesforceCampaignAttribution", new SalesforceCampaignAttribution(c.salesforce(), c.store()));
        HubSpotDispositionWriter writer = new HubSpotDispositionWriter(c.hubspotContacts(), c.store(), rules,
                FlowId.SALESFORCE_DISPOSITIONS.key());
        c.bind("hubSpotDispositionWriter", writer);
        HubSpotDispositionReplay replay = new HubSpotDispositionReplay(setup, writer, c.store().parked());
        c.parkedReplay().register(replay, FlowId.SALESFORCE_DISPOSITIONS);
        c.bind("hubSpotAwaitingContactRetry", new HubSpotAwaitingContactRetry(c.store().parked(), replay, c.clock(),
                c.settings().unmatchedRetryInterval(), c.settings().contactWait()));
        c.bind("attributionReport", new AttributionReport(c.store()));
    }
}
