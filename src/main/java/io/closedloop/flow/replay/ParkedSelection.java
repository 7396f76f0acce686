package io.closedloop.flow.replay;

import io.closedloop.config.Durations;
import io.closedloop.config.SettingsLoader;
import io.closedloop.state.ParkedRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Which parked records a replay takes, as the {@code replay} command and {@code POST /observe/parked/replay} both
 * say it: ids, or a flow, an error code, a reason fragment and a last-seen range; at most {@code limit}.
 */
public record ParkedSelection(List<Long> ids, String flow, String code, String reason, Instant since, Instant until, int limit) {
    public ParkedSelection {
        ids = ids == null ? List.of() : List.copyOf(ids);
        limit = limit <= 0 ? ParkedReplay.MAX_RECORDS : Math.min(limit, ParkedReplay.MAX_RECORDS);
    }

    /** The filter of these fields, for records of the given status (null: any). */
    public ParkedRecords.Filter filter(ParkedRecords.Status status) {
        return new ParkedRecords.Filter(blankToNull(flow), blankToNull(code), blankToNull(reason), since, until, status);
    }

    /** The records a replay of this selection sends. */
    public List<ParkedRecords.ParkedRecord> select(ParkedRecords parked) {
        return ParkedReplay.select(parked, ids, filter(ParkedRecords.Status.PARKED), limit);
    }

    /**
     * {@code 2024-05-01T00:00:00Z}, or {@code 2h}, {@code 30m}, {@code 7d}, {@code PT2H} meaning that long ago.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static Instant when(String value, Clock clock) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            Duration ago = SettingsLoader.parseDuration(value);
            if (ago == null || ago.isNegative()) {
                throw new IllegalArgumentException(
                        "expected an ISO instant such as 2024-05-01T00:00:00Z or a duration such as 2h or 7d, got \"" + value + "\"");
            }
            // further back than any instant the store holds (and than Instant can count back): from the start
            return ago.compareTo(Durations.MAX) > 0 ? Instant.EPOCH : clock.instant().minus(ago);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
