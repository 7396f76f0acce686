package io.closedloop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.core.Disposition;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.OrgProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disposition mapping against an org's picklists, the rule for reasons on unmapped statuses, and init's proposal. */
class DispositionMappingCheckTest {
    private static final OrgProfile MODERN = new OrgProfile(List.of("New", "Working", "Nurturing", "Qualified", "Unqualified"), "New",
            "Rejection_Reason__c", true, List.of("No Budget", "Not a Fit", "Competitor", "Unresponsive"), "Rejection_Detail__c", true,
            List.of("Prospecting", "Closed Won", "Closed Lost"), Set.of());
    private static final OrgProfile CLASSIC = new OrgProfile(List.of("Open - Not Contacted", "Working - Contacted", "Closed - Converted",
            "Closed - Not Converted"), "Open - Not Contacted", "Rejection_Reason__c", true, List.of("No budget"), "Rejection_Detail__c",
            true, List.of(), Set.of());
    private static final HubSpotOptions PORTAL = new HubSpotOptions(Map.of(
            "hs_lead_status", Map.of("NEW", "New", "OPEN", "Open", "IN_PROGRESS", "In Progress", "UNQUALIFIED", "Unqualified", "CONNECTED", "Connected"),
            "lifecyclestage", Map.of("lead", "Lead", "salesqualifiedlead", "SQL", "opportunity", "Opportunity", "customer", "Customer"),
            "sales_rejection_reason", Map.of("no_budget", "No Budget")));

    @TempDir
    Path dir;

    private DispositionRules rules(String text) throws IOException {
        return DispositionRules.load(Files.writeString(dir.resolve("d" + System.nanoTime() + ".properties"), text));
    }

    @Test
    void everyUnknownStatusValueIsOneProblemNamingItsKeyAndTheOrgsStatuses() {
        var result = DispositionMappingCheck.check(DispositionRules.defaults(), MODERN, null, s -> s);
        assertThat(result.problems()).containsExactly(
                "status.working: \"Working - Contacted\" is not a Lead Status of this org; its statuses are: New, Working, Nurturing, Qualified, Unqualified",
                "status.rejected: \"Closed - Not Converted\" is not a Lead Status of this org; its statuses are: New, Working, Nurturing, Qualified, Unqualified",
                "status.converted: \"Closed - Converted\" is not a Lead Status of this org; its statuses are: New, Working, Nurturing, Qualified, Unqualified",
                "status.none: \"Open - Not Contacted\" is not a Lead Status of this org; its statuses are: New, Working, Nurturing, Qualified, Unqualified");
        assertThat(DispositionMappingCheck.check(DispositionRules.defaults(), CLASSIC, null, s -> s).problems()).isEmpty();
    }

    @Test
    void warnsOfUnmappedStatusesAndReasonsWithoutAHubSpotOption() throws IOException {
        DispositionRules r = rules("status.working=Working\nstatus.rejected=Unqualified\nstatus.converted=Qualified\nstatus.none=New\n");
        var result = DispositionMappingCheck.check(r, MODERN, PORTAL, s -> s.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
        assertThat(result.problems()).isEmpty();
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("Lead Status \"Nurturing\" is in no status.* key"))
                .anySatisfy(w -> assertThat(w).contains("\"Not a Fit\" has no HubSpot sales_rejection_reason option"))
                .noneSatisfy(w -> assertThat(w).contains("\"No Budget\""));
    }

    @Test
    void aHubSpotValueThePortalLacksAndAMissingReasonFieldAreProblems() throws IOException {
        DispositionRules r = rules("status.working=Working\nstatus.rejected=Unqualified\nstatus.converted=Qualified\nstatus.none=New\n"
                + "hubspot.lead-status.working=ATTEMPTED_TO_CONTACT\nrejection.reason-field=Why_Not__c\n");
        var result = DispositionMappingCheck.check(r, new OrgProfile(MODERN.leadStatuses(), "New", "Why_Not__c", false, List.of(),
                "Rejection_Detail__c", true, List.of(), Set.of()), PORTAL, s -> s);
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("hubspot.lead-status.working: HubSpot hs_lead_status has no option \"ATTEMPTED_TO_CONTACT\""))
                .anySatisfy(p -> assertThat(p).startsWith("rejection.reason-field: Lead has no field Why_Not__c"));
    }

    @Test
    void anUnmappedStatusWithAReasonIsRejectedByDefaultAndParkedWithTheRuleOff() throws IOException {
        DispositionRules on = rules("status.rejected=Closed - Not Converted, Unqualified\n");
        assertThat(on.resolve("Unqualified", false, null).disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(on.resolve("Nurturing", false, "No Budget")).isEqualTo(new DispositionRules.Resolution(Disposition.REJECTED, false, true));
        assertThat(on.resolve("Nurturing", false, null)).isEqualTo(new DispositionRules.Resolution(null, true, false));
        assertThat(on.resolve("Open - Not Contacted", false, null)).isEqualTo(new DispositionRules.Resolution(null, false, false));
        assertThat(on.resolve("Nurturing", true, null).disposition()).isEqualTo(Disposition.CONVERTED);
        DispositionRules off = rules("rejection.unmapped-status-with-reason=park\n");
        assertThat(off.resolve("Nurturing", false, "No Budget")).isEqualTo(new DispositionRules.Resolution(null, true, false));
    }

    @Test
    void aFieldNameThatIsNotAnApiNameStopsStartupNamingTheKey() {
        assertThatThrownBy(() -> rules("rejection.reason-field=Reason__c FROM Lead--\n")).isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).problems()).anySatisfy(p -> assertThat(p).contains("rejection.reason-field")));
        assertThatThrownBy(() -> rules("rejection.unmapped-status-with-reason=maybe\n")).isInstanceOf(SettingsException.class);
    }

    @Test
    void initProposesAMappingThatPassesTheCheckOnBothOrgsWithACommentOnEveryGuess() throws IOException {
        for (OrgProfile org : List.of(MODERN, CLASSIC)) {
            var proposal = DispositionProposal.propose(org, PORTAL, DispositionRules.defaults());
            DispositionRules proposed = rules(proposal.text());
            var check = DispositionMappingCheck.check(proposed, org, PORTAL, s -> s);
            assertThat(check.problems()).as(proposal.text()).isEmpty();
            assertThat(check.warnings()).noneMatch(w -> w.contains("is in no status.* key"));
            org.leadStatuses().forEach(s -> assertThat(proposal.text()).contains("# \"" + s + "\" -> "));
        }
        assertThat(DispositionProposal.keyFor("Unqualified", false)).isEqualTo("status.rejected");
        assertThat(DispositionProposal.keyFor("Closed - Not Converted", false)).isEqualTo("status.rejected");
        assertThat(DispositionProposal.keyFor("Closed - Converted", false)).isEqualTo("status.converted");
        assertThat(DispositionProposal.keyFor("Nurturing", false)).isEqualTo("status.recycled");
        assertThat(DispositionProposal.keyFor("Open - Not Contacted", false)).isEqualTo("status.none");
        assertThat(DispositionProposal.keyFor("Pending Review", false)).isNull();
    }

    @Test
    void initLeavesAHubSpotValueThePortalLacksAndSaysSo() {
        var portal = new HubSpotOptions(Map.of("hs_lead_status", Map.of("NEW", "New"), "lifecyclestage", Map.of("lead", "Lead")));
        var proposal = DispositionProposal.propose(MODERN, portal, DispositionRules.defaults());
        assertThat(proposal.undecided()).anySatisfy(u -> assertThat(u).startsWith("hubspot.lead-status.rejected: HubSpot hs_lead_status has no option UNQUALIFIED"));
        assertThat(proposal.text()).contains("hubspot.lead-status.rejected=\n");
    }

    @Test
    void anSqlDispositionNoLeadStatusOfTheOrgReachesStopsStartupNamingSqlOn() throws IOException {
        DispositionRules r = rules("status.working=Working\nstatus.rejected=Unqualified\nstatus.converted=Qualified\nstatus.none=New\n"
                + "sql.on=accepted,working,converted\n");
        var result = DispositionMappingCheck.check(r, MODERN, null, s -> s);
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("sql.on: \"accepted\" is reached by no Lead Status")
                .contains("status.accepted"));
        DispositionRules fixed = rules("status.accepted=Nurturing\nstatus.working=Working\nstatus.rejected=Unqualified\n"
                + "status.converted=Qualified\nstatus.none=New\nsql.on=accepted,working,converted\n");
        assertThat(DispositionMappingCheck.check(fixed, MODERN, null, s -> s).problems()).isEmpty();
        assertThat(fixed.salesQualified(Disposition.ACCEPTED)).isTrue();
        assertThat(fixed.salesQualified(Disposition.REJECTED)).isFalse();
        assertThat(fixed.sqlDefinition()).startsWith("sql.on=accepted,working,converted: a Lead becomes sales-qualified when accepted "
                + "(Lead Status Nurturing) or working (Lead Status Working) or converted");
    }

    @Test
    void sqlOnTakesOnlyLeadDispositionsThatMoveALeadForward() {
        assertThatThrownBy(() -> rules("sql.on=working,rejected,won\n")).isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).problems()).hasSize(2)
                        .allSatisfy(p -> assertThat(p).contains("sql.on: expected some of accepted, working, converted")));
        assertThat(DispositionRules.defaults().sqlOn()).isEmpty();
        assertThat(DispositionRules.defaults().sqlDefinition()).isEqualTo("sql.on is empty: no SQL moments are written");
    }
}
