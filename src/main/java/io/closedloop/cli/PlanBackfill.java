package io.closedloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.ApiBudget;
import io.closedloop.core.DispositionPlan;
import io.closedloop.core.FlowId;
import io.closedloop.core.SyncException;
import io.closedloop.flow.backfill.Backfill;
import io.closedloop.flow.backfill.BackfillJob;
import io.closedloop.flow.backfill.BackfillPlan;
import io.closedloop.flow.backfill.BackfillTotals;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.ClosedloopRuntime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code plan --backfill}: what {@code backfill} would do over a range, read by the backfill's own machinery, written nowhere. */
final class PlanBackfill {
    private PlanBackfill() {
    }

    static int run(ClosedloopSettings settings, BackfillJob.Options options, boolean json, PrintWriter out, PrintWriter err)
            throws Exception {
        Map<String, String> properties = new HashMap<>(ClosedloopRuntime.replayOnly());
        properties.put("camel.main.name", "closedloop-plan");
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, BackfillCommand.clock, ClosedloopRuntime.ROUTES, properties)) {
            runtime.start();
            BackfillJob job = new BackfillJob(settings, runtime.store(), BackfillCommand.clock, runtime.camelContext().getRegistry(),
                    pausesTo(err), BackfillCommand.sleeper);
            BackfillTotals totals = job.totals();
            BackfillPlan plan;
            try {
                plan = job.plan(options, totals);
            } catch (SyncException e) {
                err.println("Plan stopped: " + Redactor.redact(String.valueOf(e.getMessage())));
                err.flush();
                return ConfigOption.configExit();
            }
            Map<String, Object> report = report(options, plan, totals, settings, runtime);
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                print(out, report);
            }
            out.flush();
            return 0;
        }
    }

    /** The plan reads quietly; a pause of a spent budget is said, as it makes the plan wait. */
    private static Backfill.Listener pausesTo(PrintWriter err) {
        return new Backfill.Listener() {
            @Override
            public void window(FlowId source, Instant windowEnd, BackfillTotals totals) {
            }

            @Override
            public void paused(String api, Instant until, String reason) {
                err.println("paused: " + api + " until " + until + " (" + Redactor.redact(reason) + ")");
                err.flush();
            }

            @Override
            public void phase(String what) {
            }
        };
    }

    static Map<String, Object> report(BackfillJob.Options o, BackfillPlan plan, BackfillTotals totals, ClosedloopSettings settings,
                                      ClosedloopRuntime runtime) {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("since", o.since().toString());
        range.put("until", o.until().toString());
        range.put("window", o.window().toString());
        range.put("flows", o.parts().stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList());
        report.put("range", range);
        Map<String, Object> engagement = new LinkedHashMap<>();
        plan.sources().forEach((source, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("read", s.read());
            m.put("readAgainInOverlaps", s.repeats());
            m.put("alreadyWritten", s.alreadyWritten());
            m.put("activities", s.activityCount());
            m.put("activitiesByType", s.activities());
            m.put("parked", s.parked());
            m.put("tasks", s.tasks());
            engagement.put(source, m);
        });
        report.put("engagement", engagement);
        Map<String, Object> writes = new LinkedHashMap<>();
        writes.put("bulkThreshold", settings.salesforceBulkThreshold());
        writes.put("bulkJobs", plan.bulkJobs());
        writes.put("compositeCalls", plan.compositeCalls());
        writes.put("bulkWrites", plan.writes().stream().filter(BackfillPlan.Write::bulk).count());
        writes.put("compositeWrites", plan.writes().stream().filter(w -> !w.bulk()).count());
        writes.put("keyMomentTaskCalls", plan.taskCalls());
        writes.put("summaryRecords", plan.summaryRecords());
        writes.put("windows", plan.writes().stream().map(w -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", w.source());
            m.put("windowEnd", w.windowEnd().toString());
            m.put("activities", w.activities());
            m.put("via", w.bulk() ? "bulk" : "composite");
            m.put("bulkJobs", w.bulkJobs());
            m.put("compositeCalls", w.compositeCalls());
            return m;
        }).toList());
        report.put("salesforceWrites", writes);
        if (plan.feedbackPlanned()) {
            report.put("salesforce-dispositions", feedback(plan.feedback()));
        }
        Map<String, Object> calls = new LinkedHashMap<>();
        // the backfill reads what the plan read, again, and then writes
        calls.put("salesforce", api(totals.salesforceCalls(), plan.salesforceWrites(), runtime.salesforceBudget()));
        calls.put("hubspot", api(totals.hubspotCalls(), plan.hubspotWrites(), runtime.hubspotBudget()));
        report.put("apiCalls", calls);
        report.put("notPlanned", List.of("per-row refusals of Salesforce or HubSpot (known only when written)",
                "Leads created for unmatched MQLs (CLOSEDLOOP_UNMATCHED_MQL=create-lead: counted as UNMATCHED here)",
                "the Account look-ups by email domain and the campaign attribution of won opportunities (reads)",
                "the HubSpot property setup the backfill checks first"));
        report.put("written", "nothing: no write to Salesforce, HubSpot, the backfill's cursors or the parked records");
        return report;
    }

    private static Map<String, Object> feedback(DispositionPlan p) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("read", p == null ? 0 : p.read());
        f.put("sent", p == null ? 0 : p.sent());
        f.put("propertyUpdates", p == null ? 0 : p.propertyUpdates());
        f.put("notes", p == null ? 0 : p.notes());
        f.put("unchanged", p == null ? 0 : p.unchanged());
        Map<String, Object> parked = new LinkedHashMap<>();
        parked.put("UNMAPPED_STATUS", p == null ? 0 : p.parkedUnmapped());
        parked.put("AWAITING_CONTACT", p == null ? 0 : p.awaitingContact());
        f.put("parked", parked);
        return f;
    }

    private static Map<String, Object> api(long spentByPlan, long writes, ApiBudget budget) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spentByThisPlan", spentByPlan);
        m.put("backfillReads", spentByPlan);
        m.put("backfillWrites", writes);
        long total = spentByPlan + writes;
        m.put("backfillTotal", total);
        long limit = budget == null ? 0 : budget.limit();
        m.put("dailyBudget", limit > 0 ? limit : null);
        m.put("remainingToday", limit > 0 ? budget.remaining() : null);
        m.put("shareOfDailyBudgetPercent", limit > 0 ? Math.round(total * 10000.0 / limit) / 100.0 : null);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> report) {
        Map<String, Object> range = (Map<String, Object>) report.get("range");
        out.println("Backfill plan, " + range.get("since") + " to " + range.get("until") + " in windows of " + range.get("window")
                + ", flows " + range.get("flows"));
        ((Map<String, Map<String, Object>>) report.get("engagement")).forEach((source, m) -> {
            out.println(source + ": read " + m.get("read") + " events (" + m.get("readAgainInOverlaps") + " of them again in overlaps), "
                    + m.get("alreadyWritten") + " already written");
            out.println("  would write " + m.get("activities") + " activities " + m.get("activitiesByType") + ", " + m.get("tasks")
                    + " key-moment Tasks");
            out.println("  would park " + m.get("parked") + (((Map<?, ?>) m.get("parked")).isEmpty() ? " (nothing)" : ""));
        });
        Map<String, Object> w = (Map<String, Object>) report.get("salesforceWrites");
        out.println("Salesforce writes (Bulk API 2.0 above " + w.get("bulkThreshold") + " activities in one write, else Composite):");
        ((List<Map<String, Object>>) w.get("windows")).forEach(m -> out.println("  " + m.get("source") + ", window to " + m.get("windowEnd")
                + ": " + m.get("activities") + " activities via " + ("bulk".equals(m.get("via")) ? "Bulk (" + m.get("bulkJobs") + " job)"
                : "Composite (" + m.get("compositeCalls") + " call)")));
        out.println("  total: " + w.get("bulkJobs") + " Bulk jobs, " + w.get("compositeCalls") + " Composite calls, "
                + w.get("keyMomentTaskCalls") + " Composite calls for Tasks; summary fields of " + w.get("summaryRecords")
                + " Leads and Contacts (and their Accounts) once at the end");
        Map<String, Object> f = (Map<String, Object>) report.get("salesforce-dispositions");
        if (f != null) {
            Map<String, Object> parked = (Map<String, Object>) f.get("parked");
            out.println("salesforce-dispositions: read " + f.get("read") + " changed records; would send " + f.get("sent")
                    + " dispositions to HubSpot: " + f.get("propertyUpdates") + " contact property updates, " + f.get("notes")
                    + " notes (rejections and losses); " + f.get("unchanged") + " unchanged");
            out.println("  would park " + parked.get("UNMAPPED_STATUS") + " UNMAPPED_STATUS, " + parked.get("AWAITING_CONTACT")
                    + " AWAITING_CONTACT");
        }
        ((Map<String, Map<String, Object>>) report.get("apiCalls")).forEach((api, c) -> out.println("API calls, " + api + ": "
                + c.get("spentByThisPlan") + " spent by this plan's reads; the backfill would spend " + c.get("backfillReads")
                + " reads + " + c.get("backfillWrites") + " writes = " + c.get("backfillTotal")
                + (c.get("dailyBudget") == null ? " (daily budget not known yet)"
                        : " = " + c.get("shareOfDailyBudgetPercent") + "% of the daily budget of " + c.get("dailyBudget")
                        + " (" + c.get("remainingToday") + " left today)")));
        ((List<String>) report.get("notPlanned")).forEach(n -> out.println("not planned: " + n));
        out.println("dry run: " + report.get("written"));
    }
}
