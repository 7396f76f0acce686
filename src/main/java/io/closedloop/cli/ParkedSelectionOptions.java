package io.closedloop.cli;

import io.closedloop.config.Durations;
import io.closedloop.config.SettingsLoader;
import io.closedloop.state.ParkedRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
        return new ParkedRecords.Filter(flow, code, reason, since, until, status);
    }

    /** {@code 2024-05-01T00:00:00Z}, or {@code 2h}, {@code 30m}, {@code 7d}, {@code PT2H} meaning that long ago. */
    static final class WhenConverter implements CommandLine.ITypeConverter<Instant> {
        private static final Clock CLOCK = Clock.systemUTC();

        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                Duration ago = SettingsLoader.parseDuration(value);
                if (ago == null || ago.isNegative()) {
                    throw new CommandLine.TypeConversionException(
                            "expected an ISO instant such as 2024-05-01T00:00:00Z or a duration such as 2h or 7d, got \"" + value + "\"");
                }
                // further back than any instant the store holds (and than Instant can count back): from the start
                return ago.compareTo(Durations.MAX) > 0 ? Instant.EPOCH : CLOCK.instant().minus(ago);
            }
        }
    }
}
