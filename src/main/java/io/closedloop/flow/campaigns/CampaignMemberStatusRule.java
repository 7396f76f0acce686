package io.closedloop.flow.campaigns;

import io.closedloop.core.ActivityType;
import io.closedloop.salesforce.SalesforceCampaigns;
import java.util.Collection;
import java.util.List;

/**
 * A member's status from what the person did since joining: Sent, then Opened (an email open), Clicked (an email
 * click), Responded (a form submission). The status never moves backwards, and a member who left the list is
 * "Left List" until they join again.
 */
final class CampaignMemberStatusRule {
    /** The engagement statuses, lowest first. */
    static final List<String> LADDER = List.of(SalesforceCampaigns.SENT, SalesforceCampaigns.OPENED, SalesforceCampaigns.CLICKED,
            SalesforceCampaigns.RESPONDED);

    private CampaignMemberStatusRule() {
    }

    /** The rung an activity reaches, or 0 (Sent) for activities that say nothing about this campaign. */
    static int rung(String activityLabel) {
        if (ActivityType.FORM_SUBMISSION.label().equals(activityLabel)) {
            return 3;
        }
        if (ActivityType.EMAIL_CLICK.label().equals(activityLabel)) {
            return 2;
        }
        if (ActivityType.EMAIL_OPEN.label().equals(activityLabel)) {
            return 1;
        }
        return 0;
    }

    /**
     * The status to hold now.
     *
     * @param written the status last written (null for a new member)
     * @param activities labels of the person's activities since joining
     * @param inList whether the person is in the list now
     */
    static String next(String written, Collection<String> activities, boolean inList) {
        if (!inList) {
            return SalesforceCampaigns.LEFT;
        }
        int rung = activities.stream().mapToInt(CampaignMemberStatusRule::rung).max().orElse(0);
        int before = written == null ? -1 : LADDER.indexOf(written);
        return LADDER.get(Math.max(rung, before));
    }
}
