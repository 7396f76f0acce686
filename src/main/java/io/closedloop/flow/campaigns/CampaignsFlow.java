package io.closedloop.flow.campaigns;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.FlowId;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.flow.engagement.SalesforceUnmatchedBackoff;
import io.closedloop.hubspot.HubSpotEmailSends;
import io.closedloop.hubspot.HubSpotLists;
import io.closedloop.salesforce.SalesforceActivityWriter;
import io.closedloop.salesforce.SalesforceCampaigns;
import io.closedloop.salesforce.SalesforceIdentityResolver;
import java.time.Duration;

/** Campaigns and lead lists for sales: HubSpot lists as Salesforce Campaigns with their members (routes/salesforce-campaigns-sink). */
public final class CampaignsFlow implements FlowBinding {
    /** Pause between the per-record retry rounds of one batch (row locks). */
    static final Duration RECORD_RETRY_BACKOFF = Duration.ofMillis(500);

    @Override
    public void bind(FlowContext c) {
        ClosedloopSettings settings = c.settings();
        // the same identity resolution as Flow 1, sharing its cache of recent resolutions
        SalesforceIdentityResolver resolver = new SalesforceIdentityResolver(c.salesforce(), settings.preferContact(),
                settings.duplicatePolicy(), c.store().identities(), c.clock(), settings.identityCache());
        SalesforceCampaigns campaigns = new SalesforceCampaigns(c.salesforce(),
                new SalesforceActivityWriter(c.salesforce(), settings.salesforceApiVersion(), RECORD_RETRY_BACKOFF));
        CampaignMemberSync members = new CampaignMemberSync(resolver, campaigns, c.store(),
                new SalesforceUnmatchedBackoff(settings.unmatchedRetryInterval(), settings.unmatchedRetryMaxBackoff()),
                settings.campaignSync().leavers() == io.closedloop.config.CampaignSync.Leavers.REMOVE);
        // `replay` and the status page's Replay send parked members through the same write path, now
        c.parkedReplay().register(new CampaignMemberReplay(settings.campaignSync(), members, new HubSpotLists(c.hubspot()),
                new HubSpotEmailSends(c.hubspot()), c.store(), c.clock()), FlowId.SALESFORCE_CAMPAIGNS);
        c.bind("campaignSync", new CampaignSync(settings.campaignSync(), c.hubspot(), c.salesforce(), campaigns, members, c.store(),
                c.clock(), c.meters(), settings.startFrom()));
    }
}
