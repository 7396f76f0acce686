package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.flow.replay.ParkedReplay;
import io.closedloop.flow.replay.ParkedSelection;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends parked records through their flow again; the work is done by {@link ParkedReplay}. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Send parked records through the same write path as a fresh event, once the",
                "cause is fixed (a picklist value added, a field lengthened, a Lead created).",
                "Written records are marked resolved; the rest stay parked with one more",
                "attempt and the new reason. Nothing is written twice. No source is polled.",
                "Select by --id, or by the filters (parked records only).",
                "Exits 0 when the replay ran, 1 if no flow's target could be reached, 2 on a",
                "configuration, credential or Salesforce schema problem."})
public class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--id", paramLabel = "ID", description = "Replay the record with this id (repeatable); the filters are then ignored.")
    List<Long> ids;

    @Mixin
    ParkedSelectionOptions select;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10000", description = "At most N records per run (default and maximum 10000).")
    int limit;

    @Option(names = "--dry-run", description = "Print what would be replayed and stop: no API call, nothing changes.")
    boolean dryRun;

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
        LogSetup.quiet(settings);
        ParkedSelection selection = select.selection(ids, limit);
        if (dryRun) {
            try (StateStore store = StateStore.open(settings, Clock.systemUTC())) {
                List<ParkedRecords.ParkedRecord> selected = selection.select(store.parked());
                reportMissingIds(selected, err);
                dryRun(selected, out);
            }
            return 0;
        }
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(settings, Clock.systemUTC(), ClosedloopRuntime.ROUTES,
                ClosedloopRuntime.replayOnly())) {
            List<ParkedRecords.ParkedRecord> selected = selection.select(runtime.store().parked());
            reportMissingIds(selected, err);
            if (selected.isEmpty()) {
                out.println("Nothing to replay: no parked record matches.");
                out.flush();
                return 0;
            }
            runtime.start();
            ParkedReplay.Result result = runtime.parkedReplay().replay(selected);
            for (ParkedReplay.FlowResult f : result.flows()) {
                out.println(f.flow() + ": replayed " + f.replayed() + ", resolved " + f.resolved() + ", still parked " + f.stillParked()
                        + (f.error() == null ? "" : " (not reached: " + f.error() + ")"));
            }
            for (ParkedRecords.ParkedRecord r : result.skipped()) {
                out.println("skipped record " + r.id() + " (" + r.flow() + " " + Redactor.redact(r.recordKey()) + "): "
                        + (r.status() == ParkedRecords.Status.RESOLVED ? "already resolved" : "no replay for this flow"));
            }
            out.flush();
            if (result.fatal() != null) {
                err.println("Replay stopped: " + result.fatal());
                err.flush();
                return ConfigOption.configExit();
            }
            return result.nothingReached() ? 1 : 0;
        }
    }

    private void dryRun(List<ParkedRecords.ParkedRecord> selected, PrintWriter out) {
        if (selected.isEmpty()) {
            out.println("Nothing to replay: no parked record matches.");
            out.flush();
            return;
        }
        TextTable table = new TextTable("ID", "FLOW", "KEY", "CODE", "ATTEMPTS", "STATUS", "REASON");
        Map<String, Integer> byFlow = new LinkedHashMap<>();
        for (ParkedRecords.ParkedRecord r : selected) {
            table.row(r.id(), r.flow(), r.recordKey(), r.errorCode(), r.attempts(), r.status().name().toLowerCase(java.util.Locale.ROOT),
                    ParkedCommand.reason(r.reason()));
            if (r.status() == ParkedRecords.Status.PARKED) {
                byFlow.merge(r.flow(), 1, Integer::sum);
            }
        }
        table.print(out);
        byFlow.forEach((flow, n) -> out.println(flow + ": would replay " + n));
        out.println("dry run: nothing was sent and nothing changed");
        out.flush();
    }

    private void reportMissingIds(List<ParkedRecords.ParkedRecord> selected, PrintWriter err) {
        if (ids == null) {
            return;
        }
        ids.stream().distinct().filter(id -> selected.stream().noneMatch(r -> r.id() == id))
                .forEach(id -> err.println("No parked record has id " + id + "."));
        err.flush();
    }
}
