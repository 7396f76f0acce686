package io.closedloop.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.salesforce.SalesforceOrgProfile;
import io.closedloop.state.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's two sides of the reverse SLA: sales hands some leads back, marketing acts on most and lets a few sit. */
class HandBackSimulationTest {
    private static final Instant START = Instant.parse("2026-11-25T09:00:00Z");
    private final MutableClock clock = new MutableClock(START);

    @Test
    void salesHandsSomeRejectionsBackByTheOrgsRecycleStatusOrForTiming() {
        for (SalesforceOrgProfile profile : SalesforceOrgProfile.values()) {
            SalesforceEmulator sf = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock));
            sf.org().useProfile(profile);
            WorldSeeder.seed(WorldConfig.defaults().withCompanies(120), sf.org(),
                    new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).portal(), clock);
            SalesTeamSimulator team = new SalesTeamSimulator(sf.org(), clock, 42,
                    new SalesTeamSimulator.Config(0.0, 1.0, 0.0, Duration.ofMinutes(10), Duration.ofMinutes(20), 0.5));
            clock.set(START.plus(Duration.ofMinutes(30)));
            SalesTeamSimulator.Counts done = team.work();
            assertThat(done.recycled()).as(profile.name()).isPositive();
            assertThat(done.rejected()).as(profile.name()).isGreaterThan(done.recycled());
            List<Map<String, Object>> handedBack = profile.recycledStatus() == null
                    ? sf.org().query("SELECT Id FROM Lead WHERE Rejection_Reason__c = 'Timing'")
                    : sf.org().query("SELECT Id FROM Lead WHERE Status = 'Nurturing'");
            assertThat(handedBack).as(profile.name()).hasSizeGreaterThanOrEqualTo(done.recycled());
            clock.set(START);
        }
    }

    @Test
    void marketingActsOnMostHandedBackLeadsAfterItsDelayAndLetsAFewSit() {
        HubSpotPortal portal = new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock)).portal();
        portal.addList("900", "Nurture");
        List<String> handedBack = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            handedBack.add(portal.createContact(Map.of("email", "p" + i + "@example.com", "lifecyclestage", "lead",
                    "marketing_sla_status", "pending")));
        }
        String untouched = portal.createContact(Map.of("email", "other@example.com", "lifecyclestage", "lead"));
        MarketingTeamSimulator team = new MarketingTeamSimulator(portal, clock, 7, "900", MarketingTeamSimulator.Config.defaults());

        team.work();
        clock.advance(Duration.ofSeconds(5));
        team.work();
        assertThat(portal.listMembers("900")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        MarketingTeamSimulator.Counts done = team.work();
        assertThat(done.nurtured() + done.restaged() + done.leftSitting()).isEqualTo(60);
        assertThat(done.nurtured()).isGreaterThan(done.restaged());
        assertThat(done.nurtured() + done.restaged()).isGreaterThan(done.leftSitting());
        assertThat(done.leftSitting()).isPositive();
        for (String id : handedBack) {
            switch (team.fateOf(id)) {
                case NURTURE_LIST -> assertThat(portal.listMembers("900")).contains(id);
                case LIFECYCLE -> assertThat(portal.contact(id)).containsEntry("lifecyclestage", "subscriber");
                case SIT -> {
                    assertThat(portal.listMembers("900")).doesNotContain(id);
                    assertThat(portal.contact(id)).containsEntry("lifecyclestage", "lead");
                }
            }
        }
        assertThat(portal.listMembers("900")).doesNotContain(untouched);
    }
}
