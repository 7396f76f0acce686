package io.closedloop.flow.sla;

import io.closedloop.core.SlaCalendar;
import io.closedloop.flow.FlowBinding;
import io.closedloop.flow.FlowContext;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.hubspot.HubSpotTaskWriter;
import io.closedloop.salesforce.SalesforceSlaReader;
import io.closedloop.salesforce.SalesforceSlaTasks;

/** The hand-off SLA watch (routes/sla-watch) and the reverse SLA watch (routes/reverse-sla-watch). */
public final class SlaFlow implements FlowBinding {
    /** The feedback flow's writer, bound before this flow: its hand-backs start the reverse SLA clocks. */
    static final String DISPOSITION_WRITER = "hubSpotDispositionWriter";

    @Override
    public void bind(FlowContext c) {
        var rules = c.settings().dispositionRules();
        c.bind("slaWatch", new SlaWatch(new SalesforceSlaReader(c.salesforce(), c.store(), rules),
                new SalesforceSlaTasks(c.salesforce(), c.store(), rules, c.clock(), c.settings().salesforceApiVersion()),
                c.hubspotContacts(), c.store(), c.clock(), c.meters()));
        c.bind("reverseSlaWatch", new ReverseSlaWatch(c.store(), new HubSpotTaskWriter(c.hubspot()), c.hubspotContacts(), c.clock(), c.meters()));
        HubSpotDispositionWriter writer = c.registry().lookupByNameAndType(DISPOSITION_WRITER, HubSpotDispositionWriter.class);
        if (rules.reverseSla().enabled()) {
            if (writer == null) {
                throw new IllegalStateException("the reverse SLA needs the feedback flow's " + DISPOSITION_WRITER + ", bound before it");
            }
            writer.onHandBack(new ReverseSlaClockStarter(c.store().reverseSlaClocks(), rules.reverseSla(), new SlaCalendar(rules.businessHours()),
                    c.clock()));
        }
    }
}
