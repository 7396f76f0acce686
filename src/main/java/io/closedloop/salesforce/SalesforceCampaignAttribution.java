package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.state.Dispositions;
import io.closedloop.state.EventLedger;
import io.closedloop.state.StateStore;
import io.closedloop.core.DispositionBatch;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attributes each won opportunity's amount to the campaigns that touched its contacts: the marketing emails they
 * opened or clicked and the forms they submitted (from the activity ledger, including what they did as Leads before
 * conversion), plus the opportunity's primary campaign. First touch, last touch and linear are kept side by side.
 */
public class SalesforceCampaignAttribution {
    public static final List<String> MODELS = List.of("first_touch", "last_touch", "linear");
    /** The activity types that count as a campaign touch. */
    public static final Set<String> TOUCHES = Set.of("Email Open", "Email Click", "Form Submission");
    public static final String NO_CAMPAIGN = "(no campaign)";

    private final SalesforceClient client;
    private final StateStore store;

    public SalesforceCampaignAttribution(SalesforceClient client, StateStore store) {
        this.client = client;
        this.store = store;
    }

    /** Route step: records won amounts per contact and the attribution of each won opportunity. */
    public DispositionBatch attribute(DispositionBatch batch) {
        if (batch.won().isEmpty()) {
            return batch;
        }
        List<String> contactIds = batch.won().stream().flatMap(w -> w.contactIds().stream()).distinct().toList();
        Map<String, List<String>> leadsOfContact = new LinkedHashMap<>();
        if (!contactIds.isEmpty()) {
            List<String> soqls = SalesforceSoql.inLists(contactIds, SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream()
                    .map(in -> "SELECT Id, ConvertedContactId FROM Lead WHERE ConvertedContactId IN (" + in + ")").toList();
            for (List<JsonNode> rows : client.queries(soqls)) {
                rows.forEach(r -> leadsOfContact.computeIfAbsent(r.path("ConvertedContactId").asText(), k -> new ArrayList<>())
                        .add(r.path("Id").asText()));
            }
        }
        for (DispositionBatch.WonOpportunity w : batch.won()) {
            List<String> subjects = new ArrayList<>(w.contactIds());
            w.contactIds().forEach(c -> subjects.addAll(leadsOfContact.getOrDefault(c, List.of())));
            List<EventLedger.Activity> touches = subjects.isEmpty() ? List.of()
                    : store.ledger().activitiesOfSubjects(subjects, Instant.EPOCH).stream()
                    .filter(a -> TOUCHES.contains(a.activityType()) && a.assetName() != null)
                    .filter(a -> w.closedAt() == null || !a.occurredAt().isAfter(w.closedAt()))
                    .sorted(Comparator.comparing(EventLedger.Activity::occurredAt).thenComparing(EventLedger.Activity::eventId))
                    .toList();
            store.dispositions().recordWon(w.opportunityId(), w.emails(), w.amount(), w.closedAt() == null ? Instant.EPOCH : w.closedAt());
            store.dispositions().saveAttribution(w.opportunityId(), attribution(w, touches));
        }
        return batch;
    }

    static List<Dispositions.Attribution> attribution(DispositionBatch.WonOpportunity w, List<EventLedger.Activity> touches) {
        List<String> campaigns = new ArrayList<>(touches.stream().map(SalesforceCampaignAttribution::campaignOf).toList());
        if (w.campaignName() != null) {
            campaigns.add(w.campaignName());
        }
        if (campaigns.isEmpty()) {
            campaigns.add(NO_CAMPAIGN);
        }
        String first = touches.isEmpty() ? campaigns.get(0) : campaignOf(touches.get(0));
        String last = touches.isEmpty() ? campaigns.get(campaigns.size() - 1) : campaignOf(touches.get(touches.size() - 1));
        List<Dispositions.Attribution> out = new ArrayList<>();
        out.add(new Dispositions.Attribution(w.opportunityId(), "first_touch", first, w.amount()));
        out.add(new Dispositions.Attribution(w.opportunityId(), "last_touch", last, w.amount()));
        Map<String, Integer> counts = new LinkedHashMap<>();
        campaigns.forEach(c -> counts.merge(c, 1, Integer::sum));
        BigDecimal share = w.amount().divide(BigDecimal.valueOf(campaigns.size()), 10, RoundingMode.HALF_UP);
        BigDecimal assigned = BigDecimal.ZERO;
        List<String> names = new ArrayList<>(counts.keySet());
        for (int i = 0; i < names.size(); i++) {
            // the last campaign takes the rounding remainder, so the parts add up to the amount exactly
            BigDecimal part = i == names.size() - 1 ? w.amount().subtract(assigned)
                    : share.multiply(BigDecimal.valueOf(counts.get(names.get(i)))).setScale(2, RoundingMode.HALF_UP);
            assigned = assigned.add(part);
            out.add(new Dispositions.Attribution(w.opportunityId(), "linear", names.get(i), part));
        }
        return out;
    }

    /** The campaign a touch counts for: the email campaign, or the form as "Form: <name>". */
    public static String campaignOf(EventLedger.Activity a) {
        return a.activityType().equals("Form Submission") ? "Form: " + a.assetName() : a.assetName();
    }
}
