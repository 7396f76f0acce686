package io.closedloop.flow.sla;

import io.closedloop.core.ReverseSla;
import io.closedloop.core.SlaCalendar;
import io.closedloop.hubspot.HubSpotDispositionWriter;
import io.closedloop.state.ReverseSlaClocks;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a reverse SLA clock for every hand-back the disposition writer delivered to HubSpot: marketing knows from now. */
public final class ReverseSlaClockStarter implements Consumer<List<HubSpotDispositionWriter.HandBack>> {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseSlaClockStarter.class);

    private final ReverseSlaClocks clocks;
    private final ReverseSla rules;
    private final SlaCalendar calendar;
    private final Clock clock;

    public ReverseSlaClockStarter(ReverseSlaClocks clocks, ReverseSla rules, SlaCalendar calendar, Clock clock) {
        this.clocks = clocks;
        this.rules = rules;
        this.calendar = calendar;
        this.clock = clock;
    }

    @Override
    public void accept(List<HubSpotDispositionWriter.HandBack> handBacks) {
        Instant now = clock.instant();
        Instant due = calendar.due(now, rules.hours());
        int started = 0;
        for (HubSpotDispositionWriter.HandBack h : handBacks) {
            if (clocks.start(new ReverseSlaClocks.Start(h.contactId(), h.sfId(), h.disposition().value(), h.reason(), h.lifecycleStage(), h.leadStatus(), now, due))) {
                started++;
            }
        }
        if (started > 0) {
            LOG.info("reverse SLA: {} lead(s) handed back to marketing, due {}", started, due);
        }
    }
}
