package io.closedloop.flow.sla;

import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.salesforce.SalesforceSlaReader;
import io.closedloop.salesforce.SalesforceSlaTasks;

/** The hand-off SLA watch (routes/sla-watch). */
public final class SlaFlow implements FlowBinding {
    @Override
    public void bind(FlowContext c) {
        var rules = c.settings().dispositionRules();
        c.bind("slaWatch", new SlaWatch(new SalesforceSlaReader(c.salesforce(), c.store(), rules),
                new SalesforceSlaTasks(c.salesforce(), c.store(), rules, c.clock(), c.settings().salesforceApiVersion()),
                c.hubspotContacts(), c.store(), c.clock(), c.meters()));
    }
}
