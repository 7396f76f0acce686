package io.closedloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.BusinessHours;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SlaCalendarTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final BusinessHours NINE_TO_FIVE = new BusinessHours(LocalTime.of(9, 0), LocalTime.of(17, 0),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), BERLIN);
    private final SlaCalendar business = new SlaCalendar(NINE_TO_FIVE);

    private static Instant berlin(int month, int day, int hour, int minute) {
        return ZonedDateTime.of(2026, month, day, hour, minute, 0, 0, BERLIN).toInstant();
    }

    @Test
    void aroundTheClockAddsTheHours() {
        Instant start = Instant.parse("2026-03-06T15:00:00Z");
        assertThat(new SlaCalendar(null).due(start, Duration.ofHours(24))).isEqualTo(Instant.parse("2026-03-07T15:00:00Z"));
    }

    @Test
    void withinOneWorkingDayTheDueTimeIsTheSameDay() {
        // Tuesday 10:00 + 4 business hours
        assertThat(business.due(berlin(3, 3, 10, 0), Duration.ofHours(4))).isEqualTo(berlin(3, 3, 14, 0));
    }

    @Test
    void fridayAfternoonRollsOverTheWeekendToMonday() {
        // Friday 16:00: one hour left on Friday, three more from Monday 09:00
        assertThat(business.due(berlin(3, 6, 16, 0), Duration.ofHours(4))).isEqualTo(berlin(3, 9, 12, 0));
    }

    @Test
    void anMqlOnSaturdayStartsCountingOnMondayMorning() {
        assertThat(business.due(berlin(3, 7, 11, 30), Duration.ofHours(2))).isEqualTo(berlin(3, 9, 11, 0));
    }

    @Test
    void beforeOpeningAndAfterClosingCountFromTheNextOpening() {
        assertThat(business.due(berlin(3, 3, 6, 0), Duration.ofHours(1))).isEqualTo(berlin(3, 3, 10, 0));
        assertThat(business.due(berlin(3, 3, 18, 0), Duration.ofHours(1))).isEqualTo(berlin(3, 4, 10, 0));
    }

    @Test
    void exactlyTheRestOfTheDayIsDueAtClosing() {
        assertThat(business.due(berlin(3, 3, 13, 0), Duration.ofHours(4))).isEqualTo(berlin(3, 3, 17, 0));
    }

    @Test
    void twentyFourBusinessHoursSpanThreeWorkingDaysAndAWeekend() {
        // Thursday 09:00: Thursday 8 h, Friday 8 h, Monday 8 h
        assertThat(business.due(berlin(3, 5, 9, 0), Duration.ofHours(24))).isEqualTo(berlin(3, 9, 17, 0));
    }

    @Test
    void workingHoursAreReadInTheirOwnZone() {
        // 07:30 UTC on a Monday in March is 08:30 in Berlin: counting starts at 09:00 Berlin, 08:00 UTC
        assertThat(business.due(Instant.parse("2026-03-09T07:30:00Z"), Duration.ofMinutes(30)))
                .isEqualTo(Instant.parse("2026-03-09T08:30:00Z"));
    }

    @Test
    void theDaylightSavingSwitchDoesNotShiftWorkingHours() {
        // Berlin moves to summer time on Sunday 29 March 2026: Friday 16:00 CET + 2 h is Monday 10:00 CEST
        assertThat(business.due(berlin(3, 27, 16, 0), Duration.ofHours(2))).isEqualTo(Instant.parse("2026-03-30T08:00:00Z"));
    }

    @Test
    void statusOptionValuesAreTheOnesHubSpotStores() {
        assertThat(SlaStatus.labels().stream().map(io.closedloop.hubspot.HubSpotPropertySetup::optionValue))
                .containsExactly("on_track", "met", "breached", "worked_late");
        assertThat(SlaStatus.WORKED_LATE.value()).isEqualTo("worked_late");
    }
}
