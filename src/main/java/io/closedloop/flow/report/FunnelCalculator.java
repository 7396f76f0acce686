package io.closedloop.flow.report;

import io.closedloop.config.DispositionRules;
import io.closedloop.core.Disposition;
import io.closedloop.core.FunnelRecords;
import io.closedloop.state.Dispositions;
import io.closedloop.state.SlaClocks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The pure arithmetic of the funnel report. Each step counts the leads created in the period that reached it: an MQL
 * moment (MQL_At__c), a disposition that takes the lead forward (accepted, working, converted under the mapping), an
 * SQL moment, an opportunity, a won or a lost one. Medians are over the leads that have both moments of a step.
 */
public final class FunnelCalculator {
    /** What sales moving a lead forward looks like in the mapping. */
    static final Set<Disposition> ACCEPTED = EnumSet.of(Disposition.ACCEPTED, Disposition.WORKING, Disposition.CONVERTED);
    static final String NO_VALUE = "(none)";

    /** Everything the report is computed from. */
    public record Inputs(FunnelRecords records, Map<String, Instant> sqlMoments, Map<String, String> campaignOfLead,
                         List<SlaClocks.SlaClock> clocks, List<Dispositions.Verdict> rejections, List<Dispositions.CampaignTotal> revenue) {
    }

    private FunnelCalculator() {
    }

    public static Funnel compute(String period, Instant from, Instant to, Funnel.By by, DispositionRules rules, Inputs in) {
        Map<String, FunnelRecords.Opportunity> opportunities = in.records().opportunities().stream()
                .collect(Collectors.toMap(FunnelRecords.Opportunity::id, o -> o, (a, b) -> a));
        List<FunnelRecords.Lead> cohort = in.records().leads().stream().filter(FunnelRecords.Lead::inPeriod).toList();
        Function<FunnelRecords.Lead, String> key = groupKey(by, in.campaignOfLead());
        List<Funnel.Group> groups = new ArrayList<>();
        groups.add(group("all", cohort, in.sqlMoments(), opportunities, rules));
        if (by != Funnel.By.ALL) {
            Map<String, List<FunnelRecords.Lead>> split = new TreeMap<>();
            cohort.forEach(l -> split.computeIfAbsent(key.apply(l), k -> new ArrayList<>()).add(l));
            split.forEach((g, leads) -> groups.add(group(g, leads, in.sqlMoments(), opportunities, rules)));
        }
        Map<String, FunnelRecords.Lead> leads = in.records().leads().stream()
                .collect(Collectors.toMap(FunnelRecords.Lead::id, l -> l, (a, b) -> a));
        List<Funnel.ReasonCount> bySource = reasons(in.rejections(), id -> {
            FunnelRecords.Lead l = leads.get(id);
            return l == null || l.leadSource() == null ? NO_VALUE : l.leadSource();
        });
        List<Funnel.ReasonCount> byCampaign = reasons(in.rejections(),
                id -> in.campaignOfLead().getOrDefault(id, io.closedloop.salesforce.SalesforceCampaignAttribution.NO_CAMPAIGN));
        List<Funnel.CampaignRevenue> revenue = in.revenue().stream()
                .map(t -> new Funnel.CampaignRevenue(t.model(), t.campaign(), t.amount(), t.opportunities())).toList();
        return new Funnel(period, from.toString(), to.toString(), by.value(), groups, sla(in.clocks()), bySource, byCampaign, revenue);
    }

    private static Function<FunnelRecords.Lead, String> groupKey(Funnel.By by, Map<String, String> campaigns) {
        return switch (by) {
            case SOURCE -> l -> l.leadSource() == null ? NO_VALUE : l.leadSource();
            case OWNER -> l -> l.ownerId() == null ? NO_VALUE : l.ownerId();
            case CAMPAIGN -> l -> campaigns.getOrDefault(l.id(), io.closedloop.salesforce.SalesforceCampaignAttribution.NO_CAMPAIGN);
            case ALL -> l -> "all";
        };
    }

    static Funnel.Group group(String name, List<FunnelRecords.Lead> leads, Map<String, Instant> sqlMoments,
                              Map<String, FunnelRecords.Opportunity> opportunities, DispositionRules rules) {
        Function<FunnelRecords.Lead, Instant> sqlAt = l -> sqlMoments.getOrDefault(l.id(), l.sqlAt());
        Function<FunnelRecords.Lead, FunnelRecords.Opportunity> opp = l -> l.opportunityId() == null ? null : opportunities.get(l.opportunityId());
        Predicate<FunnelRecords.Lead> mql = l -> l.mqlAt() != null;
        Predicate<FunnelRecords.Lead> accepted = l -> ACCEPTED.contains(rules.resolve(l.status(), l.converted(), null).disposition());
        Predicate<FunnelRecords.Lead> sql = l -> sqlAt.apply(l) != null;
        Predicate<FunnelRecords.Lead> hasOpp = l -> l.opportunityId() != null;
        Predicate<FunnelRecords.Lead> won = l -> opp.apply(l) != null && opp.apply(l).closed() && opp.apply(l).won();
        Predicate<FunnelRecords.Lead> lost = l -> opp.apply(l) != null && opp.apply(l).closed() && !opp.apply(l).won();

        long total = leads.size();
        long mqls = count(leads, mql);
        long acc = count(leads, accepted);
        long sqls = count(leads, sql);
        long opps = count(leads, hasOpp);
        List<Funnel.Step> steps = new ArrayList<>();
        steps.add(new Funnel.Step("leads", total, null, null));
        steps.add(new Funnel.Step("mqls", mqls, rate(mqls, total), median(leads, mql, l -> between(l.createdAt(), l.mqlAt()))));
        // Salesforce keeps no time for the acceptance itself; the hand-off SLA's time to first action stands for it
        steps.add(new Funnel.Step("accepted", acc, rate(acc, mqls), null));
        steps.add(new Funnel.Step("sqls", sqls, rate(sqls, acc), median(leads, sql, l -> between(l.mqlAt(), sqlAt.apply(l)))));
        steps.add(new Funnel.Step("opportunities", opps, rate(opps, sqls), median(leads, hasOpp,
                l -> opp.apply(l) == null ? null : between(sqlAt.apply(l), opp.apply(l).createdAt()))));
        long w = count(leads, won);
        long lo = count(leads, lost);
        steps.add(new Funnel.Step("won", w, rate(w, opps), median(leads, won, l -> closeSeconds(opp.apply(l)))));
        steps.add(new Funnel.Step("lost", lo, rate(lo, opps), median(leads, lost, l -> closeSeconds(opp.apply(l)))));
        return new Funnel.Group(name, steps);
    }

    static Funnel.Sla sla(List<SlaClocks.SlaClock> clocks) {
        long met = clocks.stream().filter(c -> c.status() == SlaClocks.Status.MET).count();
        long breached = clocks.stream().filter(c -> c.status() == SlaClocks.Status.BREACHED).count();
        long running = clocks.stream().filter(c -> c.status() == SlaClocks.Status.RUNNING).count();
        List<Long> firstAction = clocks.stream().filter(c -> c.stoppedAt() != null)
                .map(c -> Duration.between(c.startedAt(), c.stoppedAt()).toSeconds()).toList();
        return new Funnel.Sla(clocks.size(), met, breached, running, median(firstAction));
    }

    private static List<Funnel.ReasonCount> reasons(List<Dispositions.Verdict> rejections, Function<String, String> groupOf) {
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        for (Dispositions.Verdict v : rejections) {
            counts.merge(List.of(v.reason() == null ? NO_VALUE : v.reason(), groupOf.apply(v.sfId())), 1L, Long::sum);
        }
        return counts.entrySet().stream().map(e -> new Funnel.ReasonCount(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparingLong(Funnel.ReasonCount::count).reversed().thenComparing(Funnel.ReasonCount::reason)
                        .thenComparing(Funnel.ReasonCount::group)).toList();
    }

    private static long count(List<FunnelRecords.Lead> leads, Predicate<FunnelRecords.Lead> p) {
        return leads.stream().filter(p).count();
    }

    static Double rate(long count, long of) {
        return of == 0 ? null : Math.round(count * 10_000.0 / of) / 10_000.0;
    }

    private static Long between(Instant a, Instant b) {
        return a == null || b == null || b.isBefore(a) ? null : Duration.between(a, b).toSeconds();
    }

    /** CloseDate is a date: the days from the opportunity's creation date to it, in seconds. */
    private static Long closeSeconds(FunnelRecords.Opportunity o) {
        if (o == null || o.closeDate() == null || o.createdAt() == null) {
            return null;
        }
        long days = ChronoUnit.DAYS.between(o.createdAt().atZone(ZoneOffset.UTC).toLocalDate(), o.closeDate());
        return days < 0 ? null : days * 86_400;
    }

    private static Long median(List<FunnelRecords.Lead> leads, Predicate<FunnelRecords.Lead> p, Function<FunnelRecords.Lead, Long> seconds) {
        return median(leads.stream().filter(p).map(seconds).filter(s -> s != null).toList());
    }

    /** The middle value, or the mean of the two middle values (rounded down), of the sorted durations; null for none. */
    static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : Math.floorDiv(sorted.get(mid - 1) + sorted.get(mid), 2);
    }
}
