package io.closedloop.flow.engagement;

import io.closedloop.core.StartFrom;
import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.hubspot.HubSpotEmailEventReader;
import java.time.Duration;

/** The readers' default windows, starting their first poll {@code CLOSEDLOOP_START_FROM}. */
final class ReaderWindows {
    private ReaderWindows() {
    }

    static HubSpotEmailEventReader.Window emailEvents(StartFrom startFrom, Duration sweepPeriod, Duration sweepDepth) {
        var d = HubSpotEmailEventReader.Window.defaults();
        return new HubSpotEmailEventReader.Window(startFrom, d.overlap(), d.settle(), sweepPeriod, sweepDepth);
    }

    static HubSpotContactChangeReader.Window contactChanges(StartFrom startFrom) {
        var d = HubSpotContactChangeReader.Window.defaults();
        return new HubSpotContactChangeReader.Window(startFrom, d.overlap(), d.resultCap());
    }
}
