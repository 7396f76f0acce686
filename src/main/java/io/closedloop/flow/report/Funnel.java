package io.closedloop.flow.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** The funnel report both teams read: ids, picklist values and counts only, never a name or an email. */
public record Funnel(String period, String from, String to, String by, List<Group> funnel, Sla handOffSla,
                     List<ReasonCount> rejectionsBySource, List<ReasonCount> rejectionsByCampaign, List<CampaignRevenue> wonRevenue) {

    /** How the funnel is split: one group for everything, or per lead source, first-touch campaign or owner id. */
    public enum By {
        ALL, SOURCE, CAMPAIGN, OWNER;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the values allowed */
        public static By parse(String value) {
            for (By b : values()) {
                if (b.value().equals(value == null ? "all" : value.trim().toLowerCase(Locale.ROOT))) {
                    return b;
                }
            }
            throw new IllegalArgumentException("expected one of source, campaign, owner, got '" + value + "'");
        }
    }

    /** The steps, in funnel order. */
    public static final List<String> STEPS = List.of("leads", "mqls", "accepted", "sqls", "opportunities", "won", "lost");

    /**
     * One step of one group: how many leads of the period reached it, the share of the step before it (won and lost:
     * of the opportunities), and the median time the step took, in seconds (null when no lead has both moments).
     */
    public record Step(String step, long count, Double rate, Long medianSeconds) {
    }

    /** The funnel of one group ("all" for every lead of the period). */
    public record Group(String group, List<Step> steps) {
        public Step step(String name) {
            return steps.stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
        }
    }

    /** Hand-off SLA clocks started in the period: met, breached, still running, and the median time to first action. */
    public record Sla(long started, long met, long breached, long running, Long medianSecondsToFirstAction) {
    }

    /** Rejections sent in the period with one reason, in one group (a lead source or a campaign). */
    public record ReasonCount(String reason, String group, long count) {
    }

    /** A campaign's share of the revenue won in the period, under one attribution model. */
    public record CampaignRevenue(String model, String campaign, BigDecimal amount, long opportunities) {
    }
}
