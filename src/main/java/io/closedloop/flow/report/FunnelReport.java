package io.closedloop.flow.report;

import io.closedloop.config.DispositionRules;
import io.closedloop.config.SettingsLoader;
import io.closedloop.core.FunnelRecords;
import io.closedloop.salesforce.SalesforceCampaignAttribution;
import io.closedloop.salesforce.SalesforceFunnelReader;
import io.closedloop.state.Dispositions;
import io.closedloop.state.EventLedger;
import io.closedloop.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The funnel report for {@code closedloop report} and {@code GET /observe/report}: MQL and SQL moments, hand-off SLA
 * clocks, rejections and attribution from the state store and the activity ledger; the Leads of the period and their
 * opportunities from Salesforce, in a few batched queries.
 */
public class FunnelReport {
    public static final String BEAN = "funnelReport";
    public static final String DEFAULT_PERIOD = "30d";

    private final StateStore store;
    private final SalesforceFunnelReader salesforce;
    private final DispositionRules rules;
    private final Clock clock;

    public FunnelReport(StateStore store, SalesforceFunnelReader salesforce, DispositionRules rules, Clock clock) {
        this.store = store;
        this.salesforce = salesforce;
        this.rules = rules;
        this.clock = clock;
    }

    /** @throws IllegalArgumentException for a period that is not a positive duration such as 30d */
    public static Duration period(String value) {
        Duration d = SettingsLoader.parseDuration(value == null ? DEFAULT_PERIOD : value);
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expected a duration such as 30d, 12h or PT720H, got '" + value + "'");
        }
        return d;
    }

    public Funnel report(String period, Funnel.By by) {
        String label = period == null ? DEFAULT_PERIOD : period;
        Instant to = clock.instant();
        Instant from = to.minus(period(label));
        List<Dispositions.Verdict> rejections = store.dispositions().verdictsSince("rejected", from);
        FunnelRecords records = salesforce.read(from, rejections.stream().map(Dispositions.Verdict::sfId).toList());
        List<String> leadIds = records.leads().stream().map(FunnelRecords.Lead::id).toList();
        var inputs = new FunnelCalculator.Inputs(records, store.sqlMoments().of(leadIds), firstTouchCampaigns(leadIds),
                store.slaClocks().startedSince(from), rejections, store.dispositions().campaignTotalsClosedSince(from));
        return FunnelCalculator.compute(label, from, to, by, rules, inputs);
    }

    /** Each Lead's first campaign touch in the activity ledger (what first-touch attribution would credit). */
    private Map<String, String> firstTouchCampaigns(List<String> leadIds) {
        Map<String, String> out = new HashMap<>();
        if (leadIds.isEmpty()) {
            return out;
        }
        store.ledger().activitiesOfSubjects(leadIds, Instant.EPOCH).stream()
                .filter(a -> SalesforceCampaignAttribution.TOUCHES.contains(a.activityType()) && a.assetName() != null)
                .sorted(Comparator.comparing(EventLedger.Activity::occurredAt).thenComparing(EventLedger.Activity::eventId))
                .forEach(a -> out.putIfAbsent(a.subjectId(), SalesforceCampaignAttribution.campaignOf(a)));
        return out;
    }

    /** Route step for GET /observe/report?period=30d&by=source: the report as JSON, or 400 naming the bad parameter. */
    public void respond(Exchange exchange) throws com.fasterxml.jackson.core.JsonProcessingException {
        Message in = exchange.getMessage();
        String period = in.getHeader("period", String.class);
        Funnel.By by;
        try {
            period(period);
            by = Funnel.By.parse(in.getHeader("by", String.class));
        } catch (IllegalArgumentException e) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            in.setBody(FunnelFormats.JSON.writeValueAsString(Map.of("error", "bad request", "message", e.getMessage())));
            return;
        }
        in.setBody(FunnelFormats.json(report(period, by)));
    }
}
