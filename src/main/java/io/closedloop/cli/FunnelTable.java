package io.closedloop.cli;

import io.closedloop.flow.report.Funnel;
import java.io.PrintWriter;
import java.time.Duration;

/** The funnel report as text tables: the funnel per group, the hand-off SLA, rejections, won revenue. */
final class FunnelTable {
    private FunnelTable() {
    }

    static void print(PrintWriter out, Funnel f) {
        out.println("Funnel of the leads created in the last " + f.period() + " (" + f.from() + " to " + f.to() + ")"
                + (f.by().equals("all") ? "" : ", by " + f.by()));
        TextTable funnel = new TextTable("group", "step", "count", "rate", "median time");
        for (Funnel.Group g : f.funnel()) {
            for (Funnel.Step s : g.steps()) {
                funnel.row(g.group(), s.step(), s.count(), percent(s.rate()), duration(s.medianSeconds()));
            }
        }
        funnel.print(out);
        Funnel.Sla sla = f.handOffSla();
        out.println();
        out.println("Hand-off SLA (MQLs of the period): " + sla.started() + " started, " + sla.met() + " met, " + sla.breached()
                + " breached, " + sla.running() + " running; median time to first action " + duration(sla.medianSecondsToFirstAction()));
        section(out, "Rejections by reason and lead source", "source", f.rejectionsBySource());
        section(out, "Rejections by reason and campaign", "campaign", f.rejectionsByCampaign());
        out.println();
        out.println("Won revenue by campaign");
        TextTable revenue = new TextTable("model", "campaign", "amount", "opportunities");
        f.wonRevenue().forEach(r -> revenue.row(r.model(), r.campaign(), r.amount().stripTrailingZeros().toPlainString(), r.opportunities()));
        printOrNone(out, revenue);
    }

    private static void section(PrintWriter out, String title, String column, java.util.List<Funnel.ReasonCount> counts) {
        out.println();
        out.println(title);
        TextTable t = new TextTable("reason", column, "count");
        counts.forEach(c -> t.row(c.reason(), c.group(), c.count()));
        printOrNone(out, t);
    }

    private static void printOrNone(PrintWriter out, TextTable t) {
        if (t.isEmpty()) {
            out.println("  (none)");
        } else {
            t.print(out);
        }
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", rate * 100);
    }

    /** A median as days, hours or minutes, whichever reads best. */
    static String duration(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() >= 2) {
            return String.format(java.util.Locale.ROOT, "%.1fd", seconds / 86_400.0);
        }
        if (d.toHours() >= 1) {
            return String.format(java.util.Locale.ROOT, "%.1fh", seconds / 3_600.0);
        }
        return d.toMinutes() >= 1 ? d.toMinutes() + "m" : seconds + "s";
    }
}
