package io.closedloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlaVerdictTest {
    private static final Instant START = Instant.parse("2026-03-03T08:00:00Z");
    private static final Instant DUE = START.plus(Duration.ofHours(4));
    private static final SlaVerdict.Clock RUNNING_LEAD = new SlaVerdict.Clock(START, DUE, true, false, "Open - Not Contacted");
    private static final SlaVerdict.Clock RUNNING_CONTACT = new SlaVerdict.Clock(START, DUE, true, false, null);
    private static final SlaVerdict.Clock BREACHED_LEAD = new SlaVerdict.Clock(START, DUE, false, true, "Open - Not Contacted");
    private static final SlaVerdict.Lead UNTOUCHED = new SlaVerdict.Lead("Open - Not Contacted", false, START);

    private static SlaVerdict.Kind kind(SlaVerdict.Clock c, SlaVerdict.Lead lead, List<Instant> tasks, Instant now, boolean announced) {
        return SlaVerdict.decide(c, lead, tasks, now, announced).map(SlaVerdict::kind).orElse(null);
    }

    private static Instant at(int hours) {
        return START.plus(Duration.ofHours(hours));
    }

    @Test
    void aNewRunningClockIsAnnouncedOnTrack() {
        assertThat(kind(RUNNING_LEAD, UNTOUCHED, List.of(), at(1), false)).isEqualTo(SlaVerdict.Kind.ANNOUNCE);
        assertThat(SlaVerdict.Kind.ANNOUNCE.status()).isEqualTo(SlaStatus.ON_TRACK);
    }

    @Test
    void anAnnouncedClockBeforeItsDueTimeNeedsNothing() {
        assertThat(SlaVerdict.decide(RUNNING_LEAD, UNTOUCHED, List.of(), at(3), true)).isEmpty();
    }

    @Test
    void aRunningClockBreachesAtItsDueTime() {
        assertThat(kind(RUNNING_LEAD, UNTOUCHED, List.of(), DUE, true)).isEqualTo(SlaVerdict.Kind.BREACH);
        assertThat(kind(RUNNING_CONTACT, null, List.of(), at(5), false)).isEqualTo(SlaVerdict.Kind.BREACH);
        assertThat(SlaVerdict.Kind.BREACH.status()).isEqualTo(SlaStatus.BREACHED);
    }

    @Test
    void aBreachedClockNobodyWorkedNeedsNothingMore() {
        assertThat(SlaVerdict.decide(BREACHED_LEAD, UNTOUCHED, List.of(), at(10), false)).isEmpty();
    }

    @Test
    void aTaskLoggedBeforeTheDueTimeIsMet() {
        SlaVerdict v = SlaVerdict.decide(RUNNING_CONTACT, null, List.of(at(2), at(1)), at(3), true).orElseThrow();
        assertThat(v).isEqualTo(new SlaVerdict(SlaVerdict.Kind.MET, at(1), "Task logged"));
        assertThat(SlaVerdict.Kind.MET.status()).isEqualTo(SlaStatus.MET);
    }

    @Test
    void aTaskLoggedBeforeTheClockStartedDoesNotCount() {
        assertThat(kind(RUNNING_CONTACT, null, List.of(START.minusSeconds(1)), at(1), true)).isNull();
    }

    @Test
    void aLeadStatusChangeIsMetAtTheLeadsLastModifiedDate() {
        SlaVerdict.Lead worked = new SlaVerdict.Lead("Working - Contacted", false, at(2));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, worked, List.of(), at(3), true)).contains(
                new SlaVerdict(SlaVerdict.Kind.MET, at(2), "Lead Status changed to Working - Contacted"));
    }

    @Test
    void aConvertedLeadIsMet() {
        SlaVerdict.Lead converted = new SlaVerdict.Lead("Open - Not Contacted", true, at(1));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, converted, List.of(), at(3), true)).contains(
                new SlaVerdict(SlaVerdict.Kind.MET, at(1), "Lead converted"));
    }

    @Test
    void aLeadStillInItsStartStatusIsNotWorked() {
        SlaVerdict.Lead edited = new SlaVerdict.Lead("Open - Not Contacted", false, at(1));
        assertThat(kind(RUNNING_LEAD, edited, List.of(), at(2), true)).isNull();
    }

    @Test
    void aLeadWithoutAStartStatusCountsOnlyConversion() {
        SlaVerdict.Lead changed = new SlaVerdict.Lead("Working - Contacted", false, at(1));
        assertThat(kind(RUNNING_CONTACT, changed, List.of(), at(2), true)).isNull();
    }

    @Test
    void aStatusChangeWithoutAUsableModifiedDateCountsAsNow() {
        SlaVerdict.Lead unknown = new SlaVerdict.Lead("Working - Contacted", false, null);
        SlaVerdict.Lead future = new SlaVerdict.Lead("Working - Contacted", false, at(9));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, unknown, List.of(), at(2), true).orElseThrow().actedAt()).isEqualTo(at(2));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, future, List.of(), at(2), true).orElseThrow().actedAt()).isEqualTo(at(2));
    }

    @Test
    void theEarlierOfATaskAndAStatusChangeIsTheFirstAction() {
        SlaVerdict.Lead worked = new SlaVerdict.Lead("Working - Contacted", false, at(2));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, worked, List.of(at(1)), at(3), true)).contains(
                new SlaVerdict(SlaVerdict.Kind.MET, at(1), "Task logged"));
        assertThat(SlaVerdict.decide(RUNNING_LEAD, worked, List.of(at(3)), at(3), true)).contains(
                new SlaVerdict(SlaVerdict.Kind.MET, at(2), "Lead Status changed to Working - Contacted"));
    }

    @Test
    void anActionAfterTheDueTimeIsWorkedLate() {
        assertThat(SlaVerdict.decide(RUNNING_CONTACT, null, List.of(at(5)), at(6), true)).contains(
                new SlaVerdict(SlaVerdict.Kind.WORKED_LATE, at(5), "Task logged"));
        assertThat(SlaVerdict.Kind.WORKED_LATE.status()).isEqualTo(SlaStatus.WORKED_LATE);
    }

    @Test
    void anyActionOnABreachedClockIsWorkedLate() {
        SlaVerdict.Lead worked = new SlaVerdict.Lead("Working - Contacted", false, at(3));
        assertThat(kind(BREACHED_LEAD, worked, List.of(), at(6), false)).isEqualTo(SlaVerdict.Kind.WORKED_LATE);
    }

    @Test
    void anActionExactlyAtTheDueTimeIsStillMet() {
        assertThat(kind(RUNNING_CONTACT, null, List.of(DUE), at(6), true)).isEqualTo(SlaVerdict.Kind.MET);
    }
}
