package io.closedloop.cli;

import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.flow.replay.ParkedSelection;
import io.closedloop.state.ParkedRecords;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that select parked records, shared by {@code parked} and {@code replay}. */
public class ParkedSelectionOptions {
    @Option(names = "--flow", paramLabel = "FLOW", description = "Only records of this flow, e.g. hubspot-email-events.")
    String flow;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Only records whose reason contains TEXT (any case).")
    String reason;

    @Option(names = "--code", paramLabel = "CODE", description = "Only records with this error code, e.g. UNMATCHED or STRING_TOO_LONG.")
    String code;

    @Option(names = "--since", paramLabel = "WHEN", converter = WhenConverter.class,
            description = "Only records last seen at or after WHEN: an ISO instant (2024-05-01T00:00:00Z) or a duration ago (2h, 7d).")
    Instant since;

    @Option(names = "--until", paramLabel = "WHEN", converter = WhenConverter.class,
            description = "Only records last seen before WHEN, in the same forms as --since.")
    Instant until;

    ParkedRecords.Filter filter(ParkedRecords.Status status) {
        return selection(null, ParkedReplay.MAX_RECORDS).filter(status);
    }

    /** The selection these options make, with ids and a limit: the same one the ops API's replay takes. */
    ParkedSelection selection(java.util.List<Long> ids, int limit) {
        return new ParkedSelection(ids, flow, code, reason, since, until, limit);
    }

    /** {@code 2024-05-01T00:00:00Z}, or {@code 2h}, {@code 30m}, {@code 7d}, {@code PT2H} meaning that long ago. */
    static final class WhenConverter implements CommandLine.ITypeConverter<Instant> {
        private static final Clock CLOCK = Clock.systemUTC();

        @Override
        public Instant convert(String value) {
            try {
                return ParkedSelection.when(value, CLOCK);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
