package io.closedloop.config;

import io.closedloop.core.StartFrom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code CLOSEDLOOP_START_FROM}, with {@code CLOSEDLOOP_INITIAL_LOOKBACK} as its deprecated alias: one meaning,
 * set through one key (both set is a problem naming both), so no key means something else on the quiet.
 */
final class StartFromSetting {
    static final String EXPECTED = "a duration back such as 1h, 7d or PT1H, or a past ISO date-time such as 2026-11-01T00:00:00Z";

    private final SettingSources sources;
    private final SettingValues values;
    private final SettingProblems problems;

    StartFromSetting(SettingSources sources, SettingValues values, SettingProblems problems) {
        this.sources = sources;
        this.values = values;
        this.problems = problems;
    }

    StartFrom load() {
        SettingKey start = SettingKey.CLOSEDLOOP_START_FROM;
        SettingKey alias = SettingKey.CLOSEDLOOP_INITIAL_LOOKBACK;
        if (sources.isSet(alias)) {
            if (sources.isSet(start)) {
                problems.add(alias, "set either " + start.env() + " or its deprecated alias " + alias.env() + ", not both");
                return null;
            }
            problems.warn(alias, "deprecated: use " + start.env() + " (same meaning)");
            Duration lookback = values.duration(alias, Duration.ZERO, "a duration such as 1h, 7d, 0s or PT1H");
            return lookback == null ? null : StartFrom.ago(lookback);
        }
        String raw = values.raw(start);
        StartFrom parsed = raw == null ? null : parse(raw);
        if (parsed == null || parsed.at() != null && parsed.at().isAfter(Instant.now())) {
            problems.add(start, "expected " + EXPECTED + ", got \"" + raw + "\"");
            return null;
        }
        return parsed;
    }

    /** A duration back (as every duration setting), an instant, an offset or UTC local date-time, or a UTC date; null if none. */
    static StartFrom parse(String value) {
        String v = value.trim();
        Duration duration = Durations.parse(v);
        if (duration != null) {
            return duration.isNegative() || duration.compareTo(Durations.MAX) > 0 ? null : StartFrom.ago(duration);
        }
        try {
            return StartFrom.at(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return StartFrom.at(LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return StartFrom.at(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
