package io.closedloop.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A status Closedloop writes as an enumeration option of a HubSpot contact property: its option value is the
 * constant's name in lower case, and its label is what people read.
 */
public interface HubSpotStatusOption {
    String name();

    String label();

    /** The HubSpot option value, e.g. on_track, breached. */
    default String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The option labels of a status enum, in order (HubSpotPropertySetup derives each value from its label). */
    static <E extends Enum<E> & HubSpotStatusOption> List<String> labels(Class<E> statuses) {
        return Arrays.stream(statuses.getEnumConstants()).map(HubSpotStatusOption::label).toList();
    }
}
