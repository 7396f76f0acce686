package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows parked records from the state store; makes no API call. */
@Command(name = "parked", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Show the records Closedloop could not write. Reads the state store only:",
                "no API call. By default: how many are parked per flow, error kind and code;",
                "with --list: one line per record. Payloads hold email addresses and are never",
                "printed, except one record's with --show-payload ID."})
public class ParkedCommand implements Callable<Integer> {
    /** Which records by status; lower case so the option reads {@code --status resolved}. */
    enum StatusOption { parked, resolved, all }

    static final int REASON_WIDTH = 160;

    @Mixin
    ConfigOption config;

    @Mixin
    ParkedSelectionOptions select;

    @Option(names = "--status", paramLabel = "STATUS", defaultValue = "parked",
            description = "parked (default), resolved (written by a replay, kept until retention) or all.")
    StatusOption status;

    @Option(names = "--list", description = "One line per record: id, flow, key, code, attempts, first and last seen, reason.")
    boolean list;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "With --list: at most N records (default 100).")
    int limit;

    @Option(names = "--show-payload", paramLabel = "ID",
            description = "Print the stored payload of the record with this id, as it will be replayed. It holds personal data "
                    + "(email addresses): it is printed only when asked for by id.")
    Long showPayload;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClosedloopSettings settings = config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        LogSetup.quiet(settings);
        try (StateStore store = StateStore.open(settings, Clock.systemUTC())) {
            ParkedRecords parked = store.parked();
            if (showPayload != null) {
                return payload(parked, out, err);
            }
            ParkedRecords.Filter filter = select.filter(status == StatusOption.all ? null
                    : ParkedRecords.Status.valueOf(status.name().toUpperCase(java.util.Locale.ROOT)));
            if (list) {
                list(parked, filter, out);
            } else {
                summary(parked, filter, out);
            }
            out.flush();
            return 0;
        }
    }

    private void summary(ParkedRecords parked, ParkedRecords.Filter filter, PrintWriter out) {
        List<ParkedRecords.Count> counts = parked.summary(filter);
        if (counts.isEmpty()) {
            out.println("No " + statusWord() + " records match.");
            return;
        }
        TextTable table = new TextTable("FLOW", "KIND", "CODE", "COUNT");
        counts.forEach(c -> table.row(c.flow(), c.errorKind(), c.errorCode(), c.count()));
        table.print(out);
        long waiting = counts.stream().filter(c -> ParkedRecords.UNMATCHED.equals(c.errorCode())).mapToLong(ParkedRecords.Count::count).sum();
        long total = counts.stream().mapToLong(ParkedRecords.Count::count).sum();
        out.println("total: " + total + " " + statusWord()
                + " (parked --list shows each record; replay --help says how to send them again)");
        out.println("of which " + waiting + " wait for a Salesforce match (UNMATCHED, retried automatically) and "
                + (total - waiting) + " failed");
    }

    private void list(ParkedRecords parked, ParkedRecords.Filter filter, PrintWriter out) {
        List<ParkedRecords.ParkedRecord> records = parked.list(filter, Math.max(1, limit) + 1);
        if (records.isEmpty()) {
            out.println("No " + statusWord() + " records match.");
            return;
        }
        TextTable table = new TextTable("ID", "FLOW", "KEY", "CODE", "ATTEMPTS", "FIRST SEEN", "LAST SEEN", "STATUS", "REASON");
        records.stream().limit(Math.max(1, limit)).forEach(r -> table.row(r.id(), r.flow(), r.recordKey(), r.errorCode(),
                r.attempts(), seconds(r.firstSeen()), seconds(r.lastSeen()), r.status().name().toLowerCase(java.util.Locale.ROOT), reason(r.reason())));
        table.print(out);
        if (records.size() > Math.max(1, limit)) {
            out.println("(more records match; raise --limit or narrow the selection)");
        }
    }

    private int payload(ParkedRecords parked, PrintWriter out, PrintWriter err) {
        var record = parked.byId(showPayload);
        if (record.isEmpty()) {
            err.println("No parked record has id " + showPayload + ".");
            err.flush();
            return 1;
        }
        err.println("Payload of record " + showPayload + " (" + record.get().flow() + " " + Redactor.redact(record.get().recordKey())
                + "); it holds personal data, do not paste it into tickets:");
        err.flush();
        out.println(record.get().payload());
        out.flush();
        return 0;
    }

    private String statusWord() {
        return status == StatusOption.all ? "parked or resolved" : status.name();
    }

    static java.time.Instant seconds(java.time.Instant instant) {
        return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** One line, emails masked, short enough for a terminal. */
    static String reason(String reason) {
        String line = Redactor.redact(reason == null ? "" : reason).replaceAll("\\s+", " ").trim();
        return line.length() <= REASON_WIDTH ? line : line.substring(0, REASON_WIDTH - 1) + "…";
    }
}
