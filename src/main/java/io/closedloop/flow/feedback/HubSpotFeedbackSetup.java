package io.closedloop.flow.feedback;

import io.closedloop.hubspot.HubSpotNames;
import io.closedloop.hubspot.HubSpotPropertySetup;

import io.closedloop.config.DispositionMappingCheck;
import io.closedloop.config.DispositionRules;
import io.closedloop.core.OrgProfile;
import io.closedloop.salesforce.SalesforceOrgProfiles;
import io.closedloop.core.Disposition;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.core.FatalSyncException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the first disposition is sent: the sales-feedback properties exist in HubSpot, with the rejection reasons
 * Salesforce offers (read from the Lead describe) as options, and every hs_lead_status and lifecyclestage value the
 * disposition rules name is an option HubSpot has. Runs once per start, as the first step of the flow's poll; a
 * Salesforce or HubSpot that cannot answer is retried on the next poll, a rule naming a missing option stops the flow.
 */
public class HubSpotFeedbackSetup {
    /** The values of sales_sla_status. */
    public static final List<String> SLA_STATUSES = io.closedloop.core.SlaStatus.labels();
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotFeedbackSetup.class);

    private final HubSpotPropertySetup setup;
    private final SalesforceClient salesforce;
    private final DispositionRules rules;
    private volatile boolean ready;

    public HubSpotFeedbackSetup(HubSpotPropertySetup setup, SalesforceClient salesforce, DispositionRules rules) {
        this.setup = setup;
        this.salesforce = salesforce;
        this.rules = rules;
    }

    /** Route step: a no-op once the setup has succeeded. */
    public synchronized void verify() {
        if (ready) {
            return;
        }
        // the same org profile and mapping check as run's startup, in case Salesforce could not be read then
        OrgProfile org = SalesforceOrgProfiles.read(salesforce, rules.reasonField(), rules.detailField());
        List<String> mapping = DispositionMappingCheck.check(rules, org, null, HubSpotPropertySetup::optionValue).problems();
        if (!mapping.isEmpty()) {
            throw new FatalSyncException("INVALID_DISPOSITION_RULES", "CLOSEDLOOP_DISPOSITION_FILE: " + String.join("; ", mapping), null);
        }
        List<String> reasons = org.rejectionReasons();
        int writes = setup.ensure(HubSpotPropertySetup.salesFeedback(reasons,
                Arrays.stream(Disposition.values()).map(Disposition::label).toList(), SLA_STATUSES));
        List<String> problems = new ArrayList<>();
        check(problems, HubSpotNames.LEAD_STATUS, "hubspot.lead-status.", rules.hubspotLeadStatus());
        check(problems, HubSpotNames.LIFECYCLE_STAGE, "hubspot.lifecycle.", rules.hubspotLifecycle());
        if (!problems.isEmpty()) {
            throw new FatalSyncException("INVALID_DISPOSITION_RULES", "CLOSEDLOOP_DISPOSITION_FILE: " + String.join("; ", problems), null);
        }
        ready = true;
        LOG.info("HubSpot sales-feedback properties ready ({} created or updated)", writes);
    }

    private void check(List<String> problems, String property, String keyPrefix, Map<Disposition, String> values) {
        Set<String> options = setup.optionsOf(property);
        values.forEach((d, v) -> {
            if (!options.isEmpty() && !options.contains(v)) {
                problems.add(keyPrefix + d.value() + ": HubSpot " + property + " has no option \"" + v + "\"");
            }
        });
    }
}
