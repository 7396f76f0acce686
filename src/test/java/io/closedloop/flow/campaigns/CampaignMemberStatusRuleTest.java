package io.closedloop.flow.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignMemberStatusRuleTest {
    @Test
    void aNewMemberWithoutEngagementIsSent() {
        assertThat(CampaignMemberStatusRule.next(null, List.of(), true)).isEqualTo("Sent");
        assertThat(CampaignMemberStatusRule.next(null, List.of("List Joined", "Page Visit"), true)).isEqualTo("Sent");
    }

    @Test
    void theHighestEngagementWins() {
        assertThat(CampaignMemberStatusRule.next(null, List.of("Email Open"), true)).isEqualTo("Opened");
        assertThat(CampaignMemberStatusRule.next("Sent", List.of("Email Open", "Email Click"), true)).isEqualTo("Clicked");
        assertThat(CampaignMemberStatusRule.next("Opened", List.of("Form Submission", "Email Open"), true)).isEqualTo("Responded");
    }

    @Test
    void theStatusNeverMovesBackwards() {
        assertThat(CampaignMemberStatusRule.next("Clicked", List.of("Email Open"), true)).isEqualTo("Clicked");
        assertThat(CampaignMemberStatusRule.next("Responded", List.of(), true)).isEqualTo("Responded");
    }

    @Test
    void aLeaverIsLeftListAndARejoinerStartsFromEngagement() {
        assertThat(CampaignMemberStatusRule.next("Responded", List.of("Email Click"), false)).isEqualTo("Left List");
        assertThat(CampaignMemberStatusRule.next("Left List", List.of("Email Click"), true)).isEqualTo("Clicked");
    }
}
