package io.closedloop.flow.engagement;

import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.hubspot.HubSpotEmailEventReader;
import java.time.Duration;

/** The readers' default windows, starting their first poll {@code CLOSEDLOOP_INITIAL_LOOKBACK} back. */
final class ReaderWindows {
    private ReaderWindows() {
    }

    static HubSpotEmailEventReader.Window emailEvents(Duration initialLookback, Duration sweepPeriod, Duration sweepDepth) {
        var d = HubSpotEmailEventReader.Window.defaults();
        return new HubSpotEmailEventReader.Window(initialLookback, d.overlap(), d.settle(), sweepPeriod, sweepDepth);
    }

    static HubSpotContactChangeReader.Window contactChanges(Duration initialLookback) {
        var d = HubSpotContactChangeReader.Window.defaults();
        return new HubSpotContactChangeReader.Window(initialLookback, d.overlap(), d.resultCap());
    }
}
