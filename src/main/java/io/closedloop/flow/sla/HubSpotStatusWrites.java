package io.closedloop.flow.sla;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.state.ParkedRecords;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/** Writes SLA statuses to HubSpot contacts the way both watches do: fatal stops the poll, a refused value is parked. */
final class HubSpotStatusWrites {
    private HubSpotStatusWrites() {
    }

    /**
     * @param what what is written, in log and parked reasons ("SLA status")
     * @return the contacts whose status was not written (the next poll tries again)
     */
    static Set<String> write(HubSpotContactWriter hubspot, List<HubSpotContactWriter.Update> updates, ParkedRecords parked, String flow,
                             String keyPrefix, String what, Logger log) {
        Set<String> failed = new LinkedHashSet<>();
        for (HubSpotContactWriter.Failure f : hubspot.update(updates)) {
            failed.add(f.key());
            if (f.reason().kind() == ErrorKind.FATAL) {
                throw new FatalSyncException(f.reason().code(), f.reason().message(), null);
            }
            if (f.reason().kind() == ErrorKind.SKIPPABLE) {
                parked.park(flow, keyPrefix + f.key(), payload(updates, f.key()), "HubSpot refused the " + what + ": " + f.reason().message(),
                        ErrorKind.SKIPPABLE, f.reason().code());
            }
            log.warn("{} of HubSpot contact {} not written ({} {}); the next poll tries again", what, f.key(), f.reason().code(),
                    f.reason().message());
        }
        return failed;
    }

    private static String payload(List<HubSpotContactWriter.Update> updates, String key) {
        return updates.stream().filter(u -> u.key().equals(key)).findFirst().map(u -> u.properties().toString()).orElse("{}");
    }
}
