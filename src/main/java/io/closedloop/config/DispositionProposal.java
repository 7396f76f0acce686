package io.closedloop.config;

import io.closedloop.core.Disposition;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.OrgProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The disposition mapping {@code init} proposes for an org and a portal it has read: each Lead Status placed in a key by
 * its name, each HubSpot value taken only if the portal offers it, every guess with a comment saying why, and what it
 * could not decide listed (and left out, so {@code validate} warns of it). A pure decision.
 */
public final class DispositionProposal {
    /** The file text and the lines {@code init} prints for what it left to a person. */
    public record Result(String text, List<String> undecided) {
    }

    private record Guess(String key, String why) {
    }

    private DispositionProposal() {
    }

    public static Result propose(OrgProfile org, HubSpotOptions hubspot, DispositionRules current) {
        List<String> undecided = new ArrayList<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (Disposition d : Disposition.values()) {
            keys.put("status." + d.value(), new ArrayList<>());
        }
        keys.put(DispositionRules.NO_VERDICT_KEY, new ArrayList<>());
        List<String> comments = new ArrayList<>();
        for (String status : org.leadStatuses()) {
            Guess g = guess(status, status.equals(org.defaultLeadStatus()));
            if (g == null) {
                undecided.add("Lead Status \"" + status + "\": its name does not say what sales decided; add it to a status.* key "
                        + "(left out, such leads are parked as UNMAPPED_STATUS)");
                comments.add("# \"" + status + "\" -> not decided: add it to the key that fits");
                continue;
            }
            keys.get(g.key()).add(status);
            comments.add("# \"" + status + "\" -> " + g.key() + ": " + g.why());
        }
        StringBuilder s = new StringBuilder();
        s.append("# Proposed by `closedloop init` from the org's Lead Status values and the HubSpot portal's options.\n");
        s.append("# Every guess says why; check them, then run `closedloop validate` and `closedloop plan`.\n\n");
        s.append("# Salesforce Lead Status -> disposition (several values per key, comma-separated).\n");
        comments.forEach(c -> s.append(c).append('\n'));
        keys.forEach((k, v) -> s.append(k).append('=').append(String.join(", ", v)).append('\n'));

        s.append("\n# The Lead fields sales fill in when they reject.\n");
        if (org.reasonFieldExists()) {
            s.append("# ").append(org.reasonField()).append(": the org has it, with ").append(org.rejectionReasons().size())
                    .append(" reasons (").append(String.join(", ", org.rejectionReasons())).append(")\n");
        } else {
            undecided.add(DispositionRules.REASON_FIELD_KEY + ": Lead has no field " + org.reasonField()
                    + "; deploy the salesforce directory or name the org's own reason field");
        }
        s.append(DispositionRules.REASON_FIELD_KEY).append('=').append(org.reasonField()).append('\n');
        if (!org.detailFieldExists()) {
            undecided.add(DispositionRules.DETAIL_FIELD_KEY + ": Lead has no field " + org.detailField()
                    + "; deploy the salesforce directory or name the org's own detail field");
        }
        s.append(DispositionRules.DETAIL_FIELD_KEY).append('=').append(org.detailField()).append('\n');
        s.append("# A Lead in a status no key names but with a rejection reason is sent as rejected, said once in the log.\n");
        s.append(DispositionRules.UNMAPPED_WITH_REASON_KEY).append("=rejected\n");

        s.append("\n# Disposition -> HubSpot hs_lead_status and lifecyclestage (empty: leave as it is).\n");
        Map<String, String> leadStatuses = hubspot == null ? null : hubspot.of(DispositionMappingCheck.LEAD_STATUS).orElse(Map.of());
        Map<String, String> stages = hubspot == null ? null : hubspot.of(DispositionMappingCheck.LIFECYCLE).orElse(Map.of());
        Map<Disposition, String> defaults = DispositionRules.defaults().hubspotLeadStatus();
        Map<Disposition, String> defaultStages = DispositionRules.defaults().hubspotLifecycle();
        for (Disposition d : Disposition.values()) {
            hubspotValue(s, undecided, "hubspot.lead-status." + d.value(), current.hubspotLeadStatus().getOrDefault(d, defaults.get(d)),
                    leadStatuses, DispositionMappingCheck.LEAD_STATUS);
        }
        for (Disposition d : Disposition.values()) {
            hubspotValue(s, undecided, "hubspot.lifecycle." + d.value(), current.hubspotLifecycle().getOrDefault(d, defaultStages.get(d)),
                    stages, DispositionMappingCheck.LIFECYCLE);
        }
        s.append("hubspot.lifecycle.allow-backwards=").append(current.allowBackwards()).append('\n');
        // the SQL definition: the forward dispositions this org's statuses reach (converted always, through IsConverted)
        List<String> sql = new ArrayList<>();
        for (String d : List.of("accepted", "working")) {
            if (!keys.getOrDefault("status." + d, List.of()).isEmpty()) {
                sql.add(d);
            }
        }
        sql.add("converted");
        s.append("\n# The SQL definition: a Lead is sales-qualified when sales move it to one of these (see the README).\n");
        s.append(DispositionRules.SQL_ON_KEY).append('=').append(String.join(",", sql)).append('\n');
        s.append("\n# The MQL definition and the hand-off SLA keep their defaults until set here (see the README):\n");
        s.append("# mql.lifecycle-stage, mql.score-threshold, sla.hours, sla.hours-by-lead-source, sla.business-hours, sla.notify-manager\n");
        if (!org.opportunityStages().isEmpty()) {
            s.append("# Opportunity stages (won and lost follow from IsWon and IsClosed, no key needed): ")
                    .append(String.join(", ", org.opportunityStages())).append('\n');
        }
        return new Result(s.toString(), undecided);
    }

    private static void hubspotValue(StringBuilder s, List<String> undecided, String key, String wanted, Map<String, String> options,
                                     String property) {
        if (wanted == null || wanted.isEmpty()) {
            s.append(key).append("=\n");
        } else if (options == null || options.isEmpty() || options.containsKey(wanted)) {
            if (options != null && options.containsKey(wanted)) {
                s.append("# ").append(wanted).append(": a ").append(property).append(" option of the portal (\"")
                        .append(options.get(wanted)).append("\")\n");
            }
            s.append(key).append('=').append(wanted).append('\n');
        } else {
            undecided.add(key + ": HubSpot " + property + " has no option " + wanted + "; left empty (its options: "
                    + String.join(", ", options.keySet()) + ")");
            s.append("# ").append(wanted).append(" is not a ").append(property).append(" option of the portal: left empty\n");
            s.append(key).append("=\n");
        }
    }

    /** The key a status's name points to, or null when the name does not say. */
    static Guess guess(String status, boolean isDefault) {
        String n = status.toLowerCase(Locale.ROOT);
        if (n.contains("not converted") || n.contains("unqualified") || n.contains("disqualified") || n.contains("reject")
                || n.contains("junk") || n.contains("lost")) {
            return new Guess("status.rejected", "the name says sales turned it down");
        }
        if (n.contains("converted")) {
            return new Guess("status.converted", "the name says the lead was converted (conversion is also read from IsConverted)");
        }
        if (n.equals("qualified") || n.startsWith("qualified") || n.contains("accepted")) {
            return new Guess("status.accepted", "the name says sales accepted it (conversion itself is read from IsConverted)");
        }
        if (n.contains("nurtur") || n.contains("recycl")) {
            return new Guess("status.recycled", "the name says it goes back to marketing");
        }
        if (n.contains("working") || n.contains("contacted") && !n.contains("not contacted") || n.contains("in progress")
                || n.contains("attempt")) {
            return new Guess("status.working", "the name says a rep is working it");
        }
        if (isDefault || n.equals("new") || n.startsWith("open") || n.contains("not contacted")) {
            return new Guess(DispositionRules.NO_VERDICT_KEY, (isDefault ? "the org's default status" : "the name says it is new")
                    + ": no verdict yet, only the owner is sent");
        }
        return null;
    }

    /** For tests: the key a status would go to, or null. */
    static String keyFor(String status, boolean isDefault) {
        Guess g = guess(status, isDefault);
        return g == null ? null : g.key();
    }

}
