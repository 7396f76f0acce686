package io.closedloop.core;

import java.util.List;
import java.util.Set;

/**
 * What one Salesforce org offers the feedback rules, read from its describes (salesforce-api.md §7): the active Lead
 * Status values, the rejection reason field's active picklist values, whether the detail field exists, the Opportunity
 * stages and the objects the org lacks. Kept for the mapping check, {@code init} and {@code plan}.
 *
 * @param reasonFieldExists whether Lead has the configured reason field (its values are then {@code rejectionReasons})
 */
public record OrgProfile(List<String> leadStatuses, String defaultLeadStatus, String reasonField, boolean reasonFieldExists,
                         List<String> rejectionReasons, String detailField, boolean detailFieldExists,
                         List<String> opportunityStages, Set<String> missingObjects) {
    public OrgProfile {
        leadStatuses = List.copyOf(leadStatuses);
        rejectionReasons = List.copyOf(rejectionReasons);
        opportunityStages = List.copyOf(opportunityStages);
        missingObjects = Set.copyOf(missingObjects);
    }
}
