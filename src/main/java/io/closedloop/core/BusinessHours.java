package io.closedloop.core;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/** Working hours on working days in one zone; null means around the clock. */
public record BusinessHours(LocalTime start, LocalTime end, Set<DayOfWeek> days, ZoneId zone) {
}
