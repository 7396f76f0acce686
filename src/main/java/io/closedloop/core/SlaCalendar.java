package io.closedloop.core;

import io.closedloop.core.BusinessHours;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/**
 * When a hand-off SLA falls due: the start plus the SLA hours, counted around the clock or, with business hours
 * configured, only within working hours on working days in their zone (evenings and weekends do not count).
 */
public final class SlaCalendar {
    private final BusinessHours hours;

    /** @param hours working hours, or null for around the clock */
    public SlaCalendar(BusinessHours hours) {
        if (hours != null && hours.days().isEmpty()) {
            throw new IllegalArgumentException("business hours need at least one working day");
        }
        this.hours = hours;
    }

    public Instant due(Instant start, Duration sla) {
        if (hours == null) {
            return start.plus(sla);
        }
        Duration left = sla;
        ZonedDateTime t = start.atZone(hours.zone());
        while (true) {
            LocalDate day = t.toLocalDate();
            if (hours.days().contains(day.getDayOfWeek())) {
                ZonedDateTime open = ZonedDateTime.of(day, hours.start(), hours.zone());
                ZonedDateTime close = ZonedDateTime.of(day, hours.end(), hours.zone());
                ZonedDateTime from = t.isBefore(open) ? open : t;
                if (from.isBefore(close)) {
                    Duration available = Duration.between(from, close);
                    if (left.compareTo(available) <= 0) {
                        return from.plus(left).toInstant();
                    }
                    left = left.minus(available);
                }
            }
            t = ZonedDateTime.of(day.plusDays(1), LocalTime.MIDNIGHT, hours.zone());
        }
    }
}
