package io.closedloop.flow.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.DispositionRules;
import io.closedloop.core.FunnelRecords;
import io.closedloop.state.Dispositions;
import io.closedloop.state.SlaClocks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The funnel arithmetic on hand-made records: steps, rates, medians, groups, the SLA and the rejections. */
class FunnelCalculatorTest {
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final DispositionRules RULES = DispositionRules.defaults();

    private static FunnelRecords.Lead lead(String id, String source, String status, boolean converted, String opp, Duration mqlAfter,
                                           Duration sqlAfter) {
        return new FunnelRecords.Lead(id, T0, source, "005A", status, converted, opp, mqlAfter == null ? null : T0.plus(mqlAfter),
                sqlAfter == null ? null : T0.plus(sqlAfter), true);
    }

    private static Funnel compute(Funnel.By by, List<FunnelRecords.Lead> leads, List<FunnelRecords.Opportunity> opps,
                                  Map<String, Instant> sql, List<SlaClocks.SlaClock> clocks, List<Dispositions.Verdict> rejections) {
        return FunnelCalculator.compute("30d", T0.minus(Duration.ofDays(30)), T0.plus(Duration.ofDays(1)), by, RULES,
                new FunnelCalculator.Inputs(new FunnelRecords(leads, opps), sql, Map.of("L1", "Spring webinar"), clocks, rejections,
                        List.of(new Dispositions.CampaignTotal("Spring webinar", "linear", new BigDecimal("1000"), 1))));
    }

    @Test
    void eachStepCountsTheLeadsOfThePeriodThatReachedItWithTheRateOfTheStepBeforeAndItsMedian() {
        List<FunnelRecords.Lead> leads = List.of(
                lead("L1", "Web", "Closed - Converted", true, "O1", Duration.ofHours(1), Duration.ofHours(3)),
                lead("L2", "Web", "Working - Contacted", false, null, Duration.ofHours(2), null),
                lead("L3", "Partner Referral", "Closed - Not Converted", false, null, Duration.ofHours(4), null),
                lead("L4", "Web", "Open - Not Contacted", false, null, null, null),
                // read only because a rejection names it: not in the period's funnel
                new FunnelRecords.Lead("L0", T0.minus(Duration.ofDays(90)), "Phone Inquiry", "005A", "Closed - Not Converted", false, null,
                        null, null, false));
        List<FunnelRecords.Opportunity> opps = List.of(new FunnelRecords.Opportunity("O1", T0.plus(Duration.ofHours(5)), true, true,
                LocalDate.of(2026, 11, 5), new BigDecimal("1000")));
        // L2's SQL moment is in the state store only (its Lead has no SQL_At__c yet)
        Funnel f = compute(Funnel.By.SOURCE, leads, opps, Map.of("L2", T0.plus(Duration.ofHours(6))), List.of(), List.of());

        Funnel.Group all = f.funnel().get(0);
        assertThat(all.group()).isEqualTo("all");
        assertThat(all.steps()).extracting(Funnel.Step::count).containsExactly(4L, 3L, 2L, 2L, 1L, 1L, 0L);
        assertThat(all.step("mqls").rate()).isEqualTo(0.75);
        assertThat(all.step("accepted").rate()).isEqualTo(0.6667);
        assertThat(all.step("sqls").rate()).isEqualTo(1.0);
        assertThat(all.step("opportunities").rate()).isEqualTo(0.5);
        assertThat(all.step("won").rate()).isEqualTo(1.0);
        assertThat(all.step("leads").rate()).isNull();
        // medians: created -> MQL over 1h, 2h, 4h; MQL -> SQL over 2h (L1) and 4h (L2): the mean of the two middles
        assertThat(all.step("mqls").medianSeconds()).isEqualTo(7200);
        assertThat(all.step("sqls").medianSeconds()).isEqualTo(3 * 3600);
        assertThat(all.step("opportunities").medianSeconds()).isEqualTo(2 * 3600);
        // CloseDate is a date: 2 Nov to 5 Nov
        assertThat(all.step("won").medianSeconds()).isEqualTo(3 * 86_400);
        assertThat(all.step("accepted").medianSeconds()).isNull();
        assertThat(all.step("lost").medianSeconds()).isNull();

        assertThat(f.funnel()).extracting(Funnel.Group::group).containsExactly("all", "Partner Referral", "Web");
        Funnel.Group partner = f.funnel().get(1);
        assertThat(partner.steps()).extracting(Funnel.Step::count).containsExactly(1L, 1L, 0L, 0L, 0L, 0L, 0L);
        // no accepted lead: no rate to give, rather than a division by zero
        assertThat(partner.step("sqls").rate()).isNull();
    }

    @Test
    void theHandOffSlaCountsClocksByOutcomeAndTakesTheMedianTimeToFirstAction() {
        List<SlaClocks.SlaClock> clocks = List.of(
                clock("c1", SlaClocks.Status.MET, Duration.ofHours(2)),
                clock("c2", SlaClocks.Status.BREACHED, Duration.ofHours(30)),
                clock("c3", SlaClocks.Status.BREACHED, null),
                clock("c4", SlaClocks.Status.RUNNING, null));
        Funnel.Sla sla = compute(Funnel.By.ALL, List.of(), List.of(), Map.of(), clocks, List.of()).handOffSla();
        assertThat(sla).isEqualTo(new Funnel.Sla(4, 1, 2, 1, 16L * 3600));
    }

    @Test
    void rejectionsAreCountedByReasonAndLeadSourceAndByFirstTouchCampaign() {
        List<FunnelRecords.Lead> leads = List.of(lead("L1", "Web", "Closed - Not Converted", false, null, null, null),
                lead("L2", "Web", "Closed - Not Converted", false, null, null, null),
                lead("L3", null, "Closed - Not Converted", false, null, null, null));
        List<Dispositions.Verdict> rejections = List.of(new Dispositions.Verdict("L1", "rejected", "No budget", T0, T0),
                new Dispositions.Verdict("L2", "rejected", "No budget", T0, T0), new Dispositions.Verdict("L3", "rejected", null, T0, T0));
        Funnel f = compute(Funnel.By.ALL, leads, List.of(), Map.of(), List.of(), rejections);
        assertThat(f.rejectionsBySource()).containsExactly(new Funnel.ReasonCount("No budget", "Web", 2),
                new Funnel.ReasonCount("(none)", "(none)", 1));
        assertThat(f.rejectionsByCampaign()).containsExactly(new Funnel.ReasonCount("(none)", "(no campaign)", 1),
                new Funnel.ReasonCount("No budget", "(no campaign)", 1), new Funnel.ReasonCount("No budget", "Spring webinar", 1));
        assertThat(f.wonRevenue()).singleElement().satisfies(r -> assertThat(r.amount()).isEqualByComparingTo("1000"));
        assertThat(f.funnel()).singleElement().satisfies(g -> assertThat(g.group()).isEqualTo("all"));
    }

    @Test
    void theCsvHasOneValuePerRowUnderAHeader() {
        Funnel f = compute(Funnel.By.ALL, List.of(lead("L1", "Web", "Working - Contacted", false, null, Duration.ofHours(1), null)),
                List.of(), Map.of(), List.of(), List.of());
        String csv = FunnelFormats.csv(f);
        assertThat(csv.lines().toList()).startsWith("section,group,name,value", "funnel,all,leads,1", "funnel,all,mqls,1",
                "funnel,all,mqls_rate,1.0", "funnel,all,mqls_median_seconds,3600");
        assertThat(csv).contains("won_revenue_linear,\"Spring webinar\",amount,1000").contains("hand_off_sla,all,started,0");
    }

    private static SlaClocks.SlaClock clock(String contact, SlaClocks.Status status, Duration firstAction) {
        return new SlaClocks.SlaClock(contact, "00Q" + contact, "005A", T0, T0.plus(Duration.ofHours(24)),
                firstAction == null ? null : T0.plus(firstAction), firstAction == null ? null : "Task logged", status, null, null);
    }
}
