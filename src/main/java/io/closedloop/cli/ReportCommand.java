package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.SyncException;
import io.closedloop.flow.report.Funnel;
import io.closedloop.flow.report.FunnelFormats;
import io.closedloop.flow.report.FunnelReport;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.ClosedloopRuntime;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The funnel report both teams read, from the state store and the ledger plus a few Salesforce queries. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"The funnel of the leads created in the period: leads, MQLs, accepted, SQLs, opportunities, won and lost,",
                "with the conversion rate of each step and its median time; hand-off SLA results; rejection reasons by lead",
                "source and by campaign; won revenue by campaign (first touch, last touch, linear). The same data as",
                "GET /observe/report. Record ids and counts only. Writes nothing. Exits 0, or 2 on a bad option or configuration."})
public class ReportCommand implements Callable<Integer> {
    /** Output formats. */
    public enum Format { TABLE, CSV, JSON }

    @Mixin
    ConfigOption config;

    @Option(names = "--period", paramLabel = "DURATION", defaultValue = FunnelReport.DEFAULT_PERIOD,
            description = "How far back the leads were created (e.g. 30d, 7d, 12h); default: ${DEFAULT-VALUE}.")
    String period;

    @Option(names = "--by", paramLabel = "source|campaign|owner", description = "Also split the funnel by lead source, first-touch campaign or owner id.")
    String by;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table", description = "Output format; default: ${DEFAULT-VALUE}.")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Funnel.By split;
        Format as;
        String option = "--period";
        try {
            FunnelReport.period(period);
            option = "--by";
            split = by == null ? Funnel.By.ALL : Funnel.By.parse(by);
            option = "--format";
            as = Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println(option + ": " + (option.equals("--format") ? "expected table, csv or json, got '" + format + "'" : e.getMessage()));
            err.flush();
            return ConfigOption.configExit();
        }
        ClosedloopSettings settings = config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        LogSetup.quiet(settings);
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, Clock.systemUTC(), ClosedloopRuntime.ROUTES,
                ClosedloopRuntime.replayOnly())) {
            runtime.start();
            FunnelReport report = runtime.camelContext().getRegistry().lookupByNameAndType(FunnelReport.BEAN, FunnelReport.class);
            Funnel funnel;
            try {
                funnel = report.report(period, split);
            } catch (SyncException e) {
                err.println("Report stopped: " + Redactor.redact(String.valueOf(e.getMessage())));
                err.flush();
                return ConfigOption.configExit();
            }
            switch (as) {
                case JSON -> out.println(FunnelFormats.json(funnel));
                case CSV -> out.print(FunnelFormats.csv(funnel));
                default -> FunnelTable.print(out, funnel);
            }
            out.flush();
            return 0;
        }
    }
}
