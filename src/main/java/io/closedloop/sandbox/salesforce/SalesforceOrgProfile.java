package io.closedloop.sandbox.salesforce;

import java.util.List;
import java.util.Map;

/**
 * How an emulated org is configured: its Lead Status values (salesforce-api.md §7.1: org-configurable, read with
 * describe) and its rejection reasons. CLASSIC is what older orgs ship with; MODERN is the newer default status set
 * with reasons of its own, so tests and users see a mapping meet an org no one configured for it.
 */
public enum SalesforceOrgProfile {
    CLASSIC(List.of("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"),
            "Open - Not Contacted", "Working - Contacted", "Closed - Not Converted", "Closed - Converted", Map.of(
            "No budget", List.of("Budget frozen until Q3 after the hiring freeze", "Spent this year's tooling budget on a CRM migration"),
            "Not decision maker", List.of("Intern researching tools; the CTO owns the decision", "Office manager, forwarded to nobody"),
            "Not in ICP", List.of("12-person agency; we sell to teams of 200+", "Non-profit on a free plan, no sales motion"),
            "Bad contact data", List.of("Phone number disconnected and the email bounced", "Fake name on the form: 'Test Test'"),
            "Competitor chosen", List.of("Signed a two-year deal with a competitor last month", "Renewed with their incumbent vendor"),
            "Timing", List.of("Revisit after their ERP migration in January", "Reorg under way; call back next quarter"),
            "Duplicate", List.of("Same person as an existing contact under a personal email"),
            "Other", List.of("Student writing a thesis, not a buyer"))),
    MODERN(List.of("New", "Working", "Nurturing", "Qualified", "Unqualified"), "New", "Working", "Unqualified", "Qualified", Map.of(
            "No Budget", List.of("No budget line for this until next fiscal year"),
            "Not a Fit", List.of("Consultancy of three; our product needs a sales team"),
            "Competitor", List.of("Already rolling out a competitor's suite"),
            "Unresponsive", List.of("Five calls and three emails, no answer")));

    private final List<String> leadStatuses;
    private final String newStatus;
    private final String workingStatus;
    private final String rejectedStatus;
    private final String convertedStatus;
    private final Map<String, List<String>> rejections;

    SalesforceOrgProfile(List<String> leadStatuses, String newStatus, String workingStatus, String rejectedStatus,
                         String convertedStatus, Map<String, List<String>> rejections) {
        this.leadStatuses = leadStatuses;
        this.newStatus = newStatus;
        this.workingStatus = workingStatus;
        this.rejectedStatus = rejectedStatus;
        this.convertedStatus = convertedStatus;
        this.rejections = rejections;
    }

    public List<String> leadStatuses() {
        return leadStatuses;
    }

    /** The default status of a new Lead. */
    public String newStatus() {
        return newStatus;
    }

    public String workingStatus() {
        return workingStatus;
    }

    public String rejectedStatus() {
        return rejectedStatus;
    }

    /** The status conversion sets (LeadStatus.IsConverted). */
    public String convertedStatus() {
        return convertedStatus;
    }

    /** The status that hands a lead back to marketing (MODERN's Nurturing), or null when the org has none. */
    public String recycledStatus() {
        return leadStatuses.contains("Nurturing") ? "Nurturing" : null;
    }

    /** Rejection reason to example details in the rep's words. */
    public Map<String, List<String>> rejections() {
        return rejections;
    }

    /** The reasons, sorted (stable for seeded draws). */
    public List<String> reasons() {
        return List.copyOf(new java.util.TreeSet<>(rejections.keySet()));
    }
}
