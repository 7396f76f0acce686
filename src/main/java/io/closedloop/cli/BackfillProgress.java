package io.closedloop.cli;

import io.closedloop.core.FlowId;
import io.closedloop.flow.backfill.Backfill;
import io.closedloop.flow.backfill.BackfillTotals;
import java.io.PrintWriter;
import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The backfill's progress: a bar on a terminal (windows done, ETA, counts), one plain line per window otherwise. */
final class BackfillProgress implements Backfill.Listener, AutoCloseable {
    private final PrintWriter out;
    private final boolean terminal;
    private BackfillTotals totals;
    private ProgressBar bar;

    private BackfillProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static BackfillProgress open(PrintWriter out, boolean terminal) {
        return new BackfillProgress(out, terminal);
    }

    void totals(BackfillTotals value) {
        this.totals = value;
    }

    @Override
    public void phase(String what) {
        if (terminal && bar == null && totals != null) {
            bar = new ProgressBarBuilder().setTaskName("Backfill").setInitialMax(Math.max(1, totals.windowsTotal()))
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().build();
        }
        line("backfill: " + what);
    }

    @Override
    public void window(FlowId source, Instant windowEnd, BackfillTotals t) {
        if (bar != null) {
            bar.maxHint(Math.max(t.windowsTotal(), t.windowsDone()));
            bar.stepTo(t.windowsDone());
            bar.setExtraMessage(counts(t));
            return;
        }
        line("backfill: " + source.key() + " up to " + windowEnd + ": " + counts(t) + ", windows " + t.windowsDone() + "/" + t.windowsTotal());
    }

    @Override
    public void paused(String api, Instant until, String reason) {
        line("backfill: paused until " + until + " (" + api + "): " + reason);
    }

    private static String counts(BackfillTotals t) {
        return "read " + t.read() + " written " + t.written() + " parked " + t.parked() + " | Salesforce calls " + t.salesforceCalls()
                + " Bulk jobs " + t.bulkJobs();
    }

    private void line(String s) {
        if (bar != null) {
            // the bar owns the terminal's last line: a message goes above it
            System.err.println();
        }
        out.println(s);
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
