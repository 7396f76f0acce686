package io.closedloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReverseSlaVerdictTest {
    private static final Instant DUE = Instant.parse("2026-03-05T08:00:00Z");

    private static ReverseSlaVerdict.Kind kind(ReverseSlaVerdict.Clock c, Instant now) {
        return ReverseSlaVerdict.decide(c, now).map(ReverseSlaVerdict::kind).orElse(null);
    }

    @Test
    void aNewClockIsAnnouncedOnceAndThenWaits() {
        Instant before = DUE.minus(Duration.ofHours(1));
        assertThat(kind(new ReverseSlaVerdict.Clock(DUE, false, false, null), before)).isEqualTo(ReverseSlaVerdict.Kind.ANNOUNCE);
        assertThat(kind(new ReverseSlaVerdict.Clock(DUE, true, false, null), before)).isNull();
    }

    @Test
    void noActionByTheDueTimeIsABreachRaisedOnce() {
        assertThat(ReverseSlaVerdict.decide(new ReverseSlaVerdict.Clock(DUE, true, false, null), DUE).orElseThrow())
                .isEqualTo(new ReverseSlaVerdict(ReverseSlaVerdict.Kind.BREACH, true));
        assertThat(kind(new ReverseSlaVerdict.Clock(DUE, true, true, null), DUE.plusSeconds(3600))).isNull();
    }

    @Test
    void anActionInTimeIsMetAndALateOneClears() {
        Instant early = DUE.minusSeconds(60);
        assertThat(ReverseSlaVerdict.decide(new ReverseSlaVerdict.Clock(DUE, true, false, early), DUE.plusSeconds(600)).orElseThrow())
                .isEqualTo(new ReverseSlaVerdict(ReverseSlaVerdict.Kind.MET, false));
        assertThat(ReverseSlaVerdict.decide(new ReverseSlaVerdict.Clock(DUE, true, true, DUE.plusSeconds(60)), DUE.plusSeconds(600))
                .orElseThrow()).isEqualTo(new ReverseSlaVerdict(ReverseSlaVerdict.Kind.CLEARED, false));
        // late, and no breach was ever raised (the daemon was down): still one breach, cleared at once
        assertThat(ReverseSlaVerdict.decide(new ReverseSlaVerdict.Clock(DUE, true, false, DUE.plusSeconds(60)), DUE.plusSeconds(600))
                .orElseThrow()).isEqualTo(new ReverseSlaVerdict(ReverseSlaVerdict.Kind.CLEARED, true));
    }

    @Test
    void onlyRecycledLeadsAndConfiguredReasonsStartAClock() {
        ReverseSla rules = new ReverseSla(Duration.ofHours(48), Set.of("Timing"), null);
        assertThat(rules.startsOn(Disposition.RECYCLED, null)).isTrue();
        assertThat(rules.startsOn(Disposition.REJECTED, "timing ")).isTrue();
        assertThat(rules.startsOn(Disposition.REJECTED, "No budget")).isFalse();
        assertThat(rules.startsOn(Disposition.REJECTED, null)).isFalse();
        assertThat(rules.startsOn(Disposition.LOST, "Timing")).isFalse();
        assertThat(ReverseSla.OFF.startsOn(Disposition.RECYCLED, null)).isFalse();
    }
}
