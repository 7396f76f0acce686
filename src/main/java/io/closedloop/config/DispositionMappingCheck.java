package io.closedloop.config;

import io.closedloop.core.Disposition;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.OrgProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The disposition mapping against the org it runs on. Problems stop {@code run} and {@code validate} (exit 2): a
 * {@code status.*} value that is not a Lead Status of the org, a rejection field the org lacks, a HubSpot lead status or
 * lifecycle stage the portal does not offer. Warnings only inform: org statuses no key maps, rejection reasons HubSpot
 * has no option for yet. A pure decision: the caller reads the org and the portal.
 */
public final class DispositionMappingCheck {
    /** Problems fail; warnings do not. Each is one line naming the key or the value to look at. */
    public record Result(List<String> problems, List<String> warnings) {
    }

    public static final String LEAD_STATUS = "hs_lead_status";
    public static final String LIFECYCLE = "lifecyclestage";
    public static final String REJECTION_REASON = "sales_rejection_reason";

    private DispositionMappingCheck() {
    }

    /**
     * @param hubspot     the portal's options, or null when HubSpot was not read
     * @param optionValue how a Salesforce reason becomes a HubSpot option value (as the property setup writes it)
     */
    public static Result check(DispositionRules rules, OrgProfile org, HubSpotOptions hubspot, UnaryOperator<String> optionValue) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String statuses = String.join(", ", org.leadStatuses());
        Set<String> mapped = new HashSet<>();
        for (Map.Entry<String, List<String>> key : rules.statusKeys().entrySet()) {
            for (String value : key.getValue()) {
                mapped.add(value);
                if (!org.leadStatuses().contains(value)) {
                    problems.add(key.getKey() + ": \"" + value + "\" is not a Lead Status of this org; its statuses are: " + statuses);
                }
            }
        }
        for (String status : org.leadStatuses()) {
            if (!mapped.contains(status)) {
                warnings.add("Lead Status \"" + status + "\" is in no status.* key: such leads are parked as UNMAPPED_STATUS"
                        + (rules.unmappedWithReasonRejected() ? " unless they carry a rejection reason (then sent as rejected)" : ""));
            }
        }
        sqlDefinition(rules, org, problems);
        if (!org.reasonFieldExists()) {
            problems.add(DispositionRules.REASON_FIELD_KEY + ": Lead has no field " + org.reasonField()
                    + "; name the org's reason field or deploy the salesforce directory");
        } else if (org.rejectionReasons().isEmpty()) {
            problems.add(DispositionRules.REASON_FIELD_KEY + ": Lead." + org.reasonField() + " has no active picklist values");
        }
        if (rules.reverseSla().enabled() && !org.rejectionReasons().isEmpty()) {
            Set<String> offered = new HashSet<>();
            org.rejectionReasons().forEach(r -> offered.add(r.trim().toLowerCase(java.util.Locale.ROOT)));
            rules.reverseSla().reasons().stream().filter(r -> !offered.contains(r)).sorted().forEach(r -> problems.add(
                    DispositionRules.REVERSE_SLA_REASONS_KEY + ": \"" + r + "\" is not a rejection reason of this org; its reasons are: "
                            + String.join(", ", org.rejectionReasons())));
        }
        if (!org.detailFieldExists()) {
            problems.add(DispositionRules.DETAIL_FIELD_KEY + ": Lead has no field " + org.detailField()
                    + "; name the org's detail field or deploy the salesforce directory");
        }
        if (hubspot != null) {
            options(problems, hubspot, LEAD_STATUS, "hubspot.lead-status.", rules.hubspotLeadStatus());
            options(problems, hubspot, LIFECYCLE, "hubspot.lifecycle.", rules.hubspotLifecycle());
            Map<String, String> reasons = hubspot.of(REJECTION_REASON).orElse(null);
            if (reasons == null) {
                warnings.add("HubSpot has no " + REJECTION_REASON + " property yet: run creates it with the org's "
                        + org.rejectionReasons().size() + " rejection reasons");
            } else {
                org.rejectionReasons().stream().filter(r -> !reasons.containsKey(optionValue.apply(r))).forEach(r -> warnings.add(
                        "rejection reason \"" + r + "\" has no HubSpot " + REJECTION_REASON + " option yet: run adds it at startup"));
            }
        }
        return new Result(problems, warnings);
    }

    /**
     * Each disposition sql.on names must be one this org's Leads can reach: converted always can (IsConverted); accepted
     * and working only through a status.* value that is a Lead Status of the org.
     */
    private static void sqlDefinition(DispositionRules rules, OrgProfile org, List<String> problems) {
        for (Disposition d : rules.sqlOn()) {
            if (d == Disposition.CONVERTED) {
                continue;
            }
            String key = "status." + d.value();
            List<String> statuses = rules.statusKeys().getOrDefault(key, List.of()).stream().filter(org.leadStatuses()::contains).toList();
            if (statuses.isEmpty()) {
                problems.add(DispositionRules.SQL_ON_KEY + ": \"" + d.value() + "\" is reached by no Lead Status of this org (" + key
                        + " names none of its statuses: " + String.join(", ", org.leadStatuses()) + "); map one in " + key
                        + " or take " + d.value() + " out of " + DispositionRules.SQL_ON_KEY);
            }
        }
    }

    private static void options(List<String> problems, HubSpotOptions hubspot, String property, String keyPrefix,
                                Map<Disposition, String> values) {
        Map<String, String> options = hubspot.of(property).orElse(Map.of());
        values.forEach((d, v) -> {
            if (!options.isEmpty() && !options.containsKey(v)) {
                problems.add(keyPrefix + d.value() + ": HubSpot " + property + " has no option \"" + v + "\"; its options are: "
                        + String.join(", ", options.keySet()));
            }
        });
    }
}
