package io.closedloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SettingsLoader;
import io.closedloop.core.ApiBudget;
import io.closedloop.core.DispositionPlan;
import io.closedloop.core.SyncException;
import io.closedloop.core.EngagementPlan;
import io.closedloop.flow.engagement.EngagementPlanner;
import io.closedloop.flow.feedback.FeedbackPlanner;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.ClosedloopRuntime;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A dry run against the real systems: what the next run would write, park and spend. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Dry run against Salesforce and HubSpot: read what each engagement source and the feedback flow",
                "would read, look the people up, and print per flow what a run would write, what it would park and",
                "why, and the API calls it would spend with their share of the daily budget. Writes nothing to",
                "either system, the cursors or the parked records. --since sets the feedback flow's window.",
                "With --backfill: what `backfill` would do over a range (same options), read window by window as",
                "the backfill reads it: activities per source, Bulk jobs and Composite calls per window, what it",
                "would park and send to HubSpot, and the API calls against the daily budget shares.",
                "Exits 0, or 2 on a configuration or credential problem."})
public class PlanCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "DURATION",
            description = "Read this far back (e.g. 24h); default: the window the next poll would read. With --backfill, "
                    + "where the range starts, as `backfill --since` (90d, or an ISO date-time).")
    String since;

    @Option(names = "--backfill", description = "Plan `backfill --since ... [--until ...] [--flows ...]` instead of the next poll.")
    boolean backfill;

    @Option(names = "--until", paramLabel = "END", description = "With --backfill: where the range ends (default: now).")
    String until;

    @Option(names = "--flows", split = ",", paramLabel = "FLOW", description = "With --backfill: engagement, feedback or both (default).")
    List<String> flows;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1d", description = "With --backfill: the backfill's window (default 1d).")
    String window;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "0", description = "Show N example records per kind, by record id.")
    int sample;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClosedloopSettings settings = config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        if (backfill) {
            return planBackfill(settings, out, err);
        }
        if (until != null || flows != null) {
            err.println((until != null ? "--until" : "--flows") + ": only with --backfill");
            err.flush();
            return ConfigOption.configExit();
        }
        Duration window = null;
        if (since != null) {
            window = SettingsLoader.parseDuration(since);
            if (window == null || window.isNegative() || window.isZero()) {
                err.println("--since: expected a duration such as 24h, 30m or PT1H, got '" + since + "'");
                err.flush();
                return ConfigOption.configExit();
            }
        }
        LogSetup.quiet(settings);
        Clock clock = Clock.systemUTC();
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, clock, ClosedloopRuntime.ROUTES, ClosedloopRuntime.replayOnly())) {
            runtime.start();
            FeedbackPlanner planner = runtime.camelContext().getRegistry().lookupByNameAndType(FeedbackPlanner.BEAN, FeedbackPlanner.class);
            EngagementPlanner engagement = runtime.camelContext().getRegistry().lookupByNameAndType(EngagementPlanner.BEAN,
                    EngagementPlanner.class);
            long hubspotBefore = calls(runtime, "hubSpotClient");
            FeedbackPlanner.Result result;
            List<EngagementPlan> sources;
            try {
                // Flow 1 reads each source's next window (--since applies to the feedback flow, whose window is a time)
                sources = engagement.plan(Math.max(0, sample));
                result = planner.plan(window == null ? null : clock.instant().minus(window), Math.max(0, sample));
            } catch (SyncException e) {
                err.println("Plan stopped: " + Redactor.redact(String.valueOf(e.getMessage())));
                err.flush();
                return ConfigOption.configExit();
            }
            long hubspotReads = calls(runtime, "hubSpotClient") - hubspotBefore;
            Map<String, Object> report = report(sources, result, hubspotReads, runtime);
            // where every source starts its very first poll, so a first run's reach is visible before it starts
            report.put("startFrom", startFrom(settings, clock));
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                print(out, result, report);
            }
            out.flush();
            return 0;
        }
    }

    private int planBackfill(ClosedloopSettings settings, PrintWriter out, PrintWriter err) throws Exception {
        if (since == null) {
            err.println("--since: plan --backfill needs where the range starts, as backfill does (e.g. --since 14d)");
            err.flush();
            return ConfigOption.configExit();
        }
        io.closedloop.flow.backfill.BackfillJob.Options options = BackfillCommand.options(since, until,
                flows == null ? List.of("engagement", "feedback") : flows, window, true, BackfillCommand.clock.instant(), err);
        if (options == null) {
            return ConfigOption.configExit();
        }
        LogSetup.quiet(settings);
        return PlanBackfill.run(settings, options, json, out, err);
    }

    private static String startFrom(ClosedloopSettings settings, Clock clock) {
        return settings.startFrom() + " (a source's first poll starts at " + settings.startFrom().from(clock.instant()) + ")";
    }

    private static long calls(ClosedloopRuntime runtime, String bean) {
        Object client = runtime.camelContext().getRegistry().lookupByName(bean);
        if (client instanceof io.closedloop.hubspot.HubSpotClient h) {
            return h.calls();
        }
        return client instanceof io.closedloop.salesforce.SalesforceClient s ? s.calls() : 0;
    }

    private static Map<String, Object> report(List<EngagementPlan> sources, FeedbackPlanner.Result r, long hubspotReads,
                                              ClosedloopRuntime runtime) {
        DispositionPlan p = r.plan();
        Map<String, Object> engagement = new LinkedHashMap<>();
        long salesforceReads = r.salesforceReads();
        long salesforceWrites = 0;
        for (EngagementPlan e : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("read", e.read());
            m.put("alreadyWritten", e.alreadyWritten());
            m.put("activities", e.activityCount());
            m.put("activitiesByType", e.activities());
            m.put("tasks", e.tasks());
            m.put("summaryRecords", e.summaryRecords());
            m.put("parked", e.parked());
            m.put("samples", e.samples());
            engagement.put(e.source(), m);
            salesforceReads += e.salesforceReads();
            salesforceWrites += e.salesforceWrites();
        }
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("from", r.from().toString());
        flow.put("read", p.read());
        flow.put("sent", p.sent());
        flow.put("propertyUpdates", p.propertyUpdates());
        flow.put("notes", p.notes());
        flow.put("unchanged", p.unchanged());
        Map<String, Object> parked = new LinkedHashMap<>();
        parked.put("UNMAPPED_STATUS", p.parkedUnmapped());
        parked.put("AWAITING_CONTACT", p.awaitingContact());
        flow.put("parked", parked);
        flow.put("unmappedStatus", p.unmapped());
        flow.put("sqlDefinition", runtime.settings().dispositionRules().sqlDefinition());
        flow.put("sqlMoments", r.sqlMoments());
        flow.put("samples", p.samples());
        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("salesforce", api(salesforceReads, salesforceWrites, runtime.salesforceBudget()));
        calls.put("hubspot", api(hubspotReads, p.hubspotWrites(), runtime.hubspotBudget()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("engagement", engagement);
        report.put("salesforce-dispositions", flow);
        report.put("notPlanned", List.of("sla-watch (breach Tasks and SLA properties)", "the retry of parked records"));
        report.put("apiCalls", calls);
        report.put("written", "nothing: no write to Salesforce, HubSpot, the cursors or the parked records");
        return report;
    }

    private static Map<String, Object> api(long reads, long writes, ApiBudget budget) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reads", reads);
        m.put("writes", writes);
        long limit = budget == null ? 0 : budget.limit();
        m.put("dailyBudget", limit > 0 ? limit : null);
        m.put("shareOfDailyBudgetPercent", limit > 0 ? Math.round((reads + writes) * 10000.0 / limit) / 100.0 : null);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, FeedbackPlanner.Result r, Map<String, Object> report) {
        out.println("CLOSEDLOOP_START_FROM: " + report.get("startFrom"));
        ((Map<String, Map<String, Object>>) report.get("engagement")).forEach((source, m) -> {
            out.println(source + " (Flow 1): read " + m.get("read") + " events, " + m.get("alreadyWritten") + " already written");
            out.println("  would write " + m.get("activities") + " activities " + m.get("activitiesByType") + ", " + m.get("tasks")
                    + " key-moment Tasks, summary fields and roll-ups of " + m.get("summaryRecords") + " Leads and Contacts");
            out.println("  would park " + m.get("parked") + (((Map<?, ?>) m.get("parked")).isEmpty() ? " (nothing)" : ""));
            ((Map<String, List<String>>) m.get("samples")).forEach((kind, lines) -> lines.forEach(l -> out.println("    " + kind + ": " + l)));
        });
        DispositionPlan p = r.plan();
        out.println("salesforce-dispositions (Flow 2), reading from " + r.from() + ":");
        out.println("  read " + p.read() + " changed records");
        out.println("  would send " + p.sent() + " dispositions to HubSpot: " + p.propertyUpdates() + " contact property updates, "
                + p.notes() + " notes");
        out.println("  unchanged " + p.unchanged() + " (no verdict: only the owner would be refreshed)");
        out.println("  would park " + (p.parkedUnmapped() + p.awaitingContact()) + ": " + p.parkedUnmapped()
                + " UNMAPPED_STATUS (Lead Status in no status.* key), " + p.awaitingContact()
                + " AWAITING_CONTACT (no HubSpot contact has the email yet)");
        p.samples().forEach((kind, lines) -> lines.forEach(l -> out.println("    " + kind + ": " + l)));
        out.println("  would record " + r.sqlMoments() + " new SQL moments (sales_qualified_at in HubSpot, SQL_At__c in Salesforce)");
        out.println("  SQL definition: " + ((Map<?, ?>) report.get("salesforce-dispositions")).get("sqlDefinition"));
        ((List<String>) report.get("notPlanned")).forEach(n -> out.println("not planned: " + n));
        Map<String, Map<String, Object>> calls = (Map<String, Map<String, Object>>) report.get("apiCalls");
        calls.forEach((api, c) -> out.println("API calls, " + api + ": " + c.get("reads") + " reads, " + c.get("writes") + " writes"
                + (c.get("dailyBudget") == null ? " (daily budget not known yet)"
                        : " = " + c.get("shareOfDailyBudgetPercent") + "% of the daily budget of " + c.get("dailyBudget"))));
        out.println("dry run: " + report.get("written"));
    }
}
