package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.DispositionMappingCheck;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.OrgProfile;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotPropertyOptions;
import io.closedloop.hubspot.HubSpotPropertySetup;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.salesforce.SalesforceDescribes;
import io.closedloop.salesforce.SalesforceOrgProfiles;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Reads both systems for the commands that look before they write ({@code run}'s startup check, {@code validate},
 * {@code init}, {@code plan}): the Salesforce describes in one Composite call (kept, so every check shares them), the
 * org profile the feedback rules need, and the options of the HubSpot properties the rules name. Reads only.
 */
public final class OrgDiscovery implements AutoCloseable {
    /** The HubSpot properties whose options the rules and {@code init} need. */
    public static final List<String> HUBSPOT_PROPERTIES = List.of(DispositionMappingCheck.LEAD_STATUS,
            DispositionMappingCheck.LIFECYCLE, DispositionMappingCheck.REJECTION_REASON);

    private final ClosedloopSettings settings;
    private final CamelContext context = new DefaultCamelContext();
    private final SalesforceClient salesforce;
    private final HubSpotClient hubspot;
    private SalesforceDescribes describes;

    public OrgDiscovery(ClosedloopSettings settings) {
        this.settings = settings;
        context.addComponent("salesforce", SalesforceComponents.of(settings));
        context.start();
        this.salesforce = new SalesforceClient(context, settings);
        this.hubspot = new HubSpotClient(context, settings);
    }

    /** The describes of every object Closedloop touches: one Composite call, read once. */
    public synchronized SalesforceDescribes describes() {
        if (describes == null) {
            describes = SalesforceDescribes.read(salesforce);
        }
        return describes;
    }

    public OrgProfile profile() {
        return SalesforceOrgProfiles.from(describes(), settings.dispositionRules().reasonField(),
                settings.dispositionRules().detailField());
    }

    /** One HubSpot call: every contact property, keeping the options of those the rules name. */
    public HubSpotOptions hubspotOptions() {
        return HubSpotPropertyOptions.read(hubspot, HUBSPOT_PROPERTIES);
    }

    /** The mapping against this org and portal ({@code hubspot} null: HubSpot not read). */
    public DispositionMappingCheck.Result mappingCheck(HubSpotOptions hubspotOptions) {
        return DispositionMappingCheck.check(settings.dispositionRules(), profile(), hubspotOptions, HubSpotPropertySetup::optionValue);
    }

    public long salesforceCalls() {
        return salesforce.calls();
    }

    public long hubspotCalls() {
        return hubspot.calls();
    }

    SalesforceClient salesforce() {
        return salesforce;
    }

    HubSpotClient hubspot() {
        return hubspot;
    }

    @Override
    public void close() {
        context.stop();
    }
}
