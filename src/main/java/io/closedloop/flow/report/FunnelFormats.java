package io.closedloop.flow.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The funnel report as JSON (the ops API and --format json) and as CSV in long form: one value per row. */
public final class FunnelFormats {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumn("section").addColumn("group").addColumn("name")
            .addColumn("value").build().withHeader();

    /** One CSV row: which part of the report, which group (all, a source, a campaign, an owner id), what, how much. */
    public record Row(String section, String group, String name, String value) {
    }

    private FunnelFormats() {
    }

    public static String json(Funnel f) {
        try {
            return JSON.writeValueAsString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String csv(Funnel f) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.databind.SequenceWriter writer = new CsvMapper().writerFor(Row.class).with(SCHEMA).writeValues(out)) {
            writer.writeAll(rows(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every value of the report, in the order the table shows them. */
    public static List<Row> rows(Funnel f) {
        List<Row> rows = new ArrayList<>();
        for (Funnel.Group g : f.funnel()) {
            for (Funnel.Step s : g.steps()) {
                rows.add(new Row("funnel", g.group(), s.step(), Long.toString(s.count())));
                if (s.rate() != null) {
                    rows.add(new Row("funnel", g.group(), s.step() + "_rate", s.rate().toString()));
                }
                if (s.medianSeconds() != null) {
                    rows.add(new Row("funnel", g.group(), s.step() + "_median_seconds", s.medianSeconds().toString()));
                }
            }
        }
        Funnel.Sla sla = f.handOffSla();
        rows.add(new Row("hand_off_sla", "all", "started", Long.toString(sla.started())));
        rows.add(new Row("hand_off_sla", "all", "met", Long.toString(sla.met())));
        rows.add(new Row("hand_off_sla", "all", "breached", Long.toString(sla.breached())));
        rows.add(new Row("hand_off_sla", "all", "running", Long.toString(sla.running())));
        if (sla.medianSecondsToFirstAction() != null) {
            rows.add(new Row("hand_off_sla", "all", "median_seconds_to_first_action", sla.medianSecondsToFirstAction().toString()));
        }
        f.rejectionsBySource().forEach(r -> rows.add(new Row("rejections_by_source", r.group(), r.reason(), Long.toString(r.count()))));
        f.rejectionsByCampaign().forEach(r -> rows.add(new Row("rejections_by_campaign", r.group(), r.reason(), Long.toString(r.count()))));
        f.wonRevenue().forEach(r -> rows.add(new Row("won_revenue_" + r.model(), r.campaign(), "amount",
                r.amount().stripTrailingZeros().toPlainString())));
        return rows;
    }
}
