package io.closedloop.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sandbox.hubspot.HubSpotEmulator;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.state.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeded world and the simulated sales team, driven directly against the emulators' data. */
class SimulatedWorldTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));

    private SalesforceEmulator salesforce() {
        return new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock));
    }

    private HubSpotEmulator hubspot() {
        return new HubSpotEmulator(HubSpotEmulator.Config.defaults().withClock(clock));
    }

    @Test
    void theSameSeedBuildsTheSameWorld() {
        World a = WorldSeeder.seed(WorldConfig.defaults(), salesforce().org(), hubspot().portal(), clock);
        World b = WorldSeeder.seed(WorldConfig.defaults(), salesforce().org(), hubspot().portal(), clock);
        assertThat(b.people()).isEqualTo(a.people());
        World other = WorldSeeder.seed(WorldConfig.defaults().withSeed(7), salesforce().org(), hubspot().portal(), clock);
        assertThat(other.people()).isNotEqualTo(a.people());
    }

    @Test
    void theWorldHoldsTheDeliberateMismatches() {
        SalesforceEmulator sf = salesforce();
        HubSpotEmulator hs = hubspot();
        World world = WorldSeeder.seed(WorldConfig.defaults(), sf.org(), hs.portal(), clock);

        assertThat(world.people()).extracting(World.Person::match).contains(World.Match.LEAD, World.Match.CONTACT, World.Match.UNKNOWN);
        assertThat(world.people()).anySatisfy(p -> assertThat(p.email()).startsWith("o'brien@"));
        assertThat(world.people()).anySatisfy(p -> assertThat(p.duplicateSfId()).isNotNull());
        assertThat(world.companies()).anySatisfy(c ->
                assertThat(world.people().stream().filter(p -> p.company().equals(c)).count()).isGreaterThan(1));
        assertThat(world.people()).anySatisfy(p -> assertThat(p.firstName()).matches(".*[^\\x00-\\x7F].*"));

        // both sides agree on who is who
        World.Person obrien = world.people().stream().filter(p -> p.email().startsWith("o'brien@")).findFirst().orElseThrow();
        assertThat(hs.portal().contact(obrien.hubspotContactId())).containsEntry("email", obrien.email());
        if (obrien.match() != World.Match.UNKNOWN) {
            List<Map<String, Object>> found = sf.org().query("SELECT Id FROM " + (obrien.match() == World.Match.LEAD ? "Lead" : "Contact")
                    + " WHERE Email = '" + obrien.email().replace("'", "\\'") + "'");
            assertThat(found).extracting(r -> r.get("Id")).contains(obrien.sfId());
        }
        World.Person unknown = world.people().stream().filter(p -> p.match() == World.Match.UNKNOWN).findFirst().orElseThrow();
        assertThat(sf.org().query("SELECT Id FROM Lead WHERE Email = '" + unknown.email().replace("'", "\\'") + "'")).isEmpty();
    }

    @Test
    void engagementLandsInHubSpotAndCrossingTheScoreThresholdMakesAnMql() {
        HubSpotEmulator hs = hubspot();
        World world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), salesforce().org(), hs.portal(), clock);
        EngagementGenerator generator = new EngagementGenerator(world, hs.portal(), 1);
        long mqlsBefore = hs.portal().contacts().stream().filter(c -> WorldSeeder.MQL_STAGE.equals(c.get("lifecyclestage"))).count();

        generator.generate(clock.instant(), 2_000);

        Map<EngagementGenerator.Kind, Long> totals = generator.totals();
        assertThat(totals.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
        long emailEvents = totals.entrySet().stream().filter(e -> e.getKey().name().startsWith("EMAIL_")).mapToLong(Map.Entry::getValue).sum();
        assertThat(hs.portal().emailEventCount()).isEqualTo(emailEvents);
        assertThat(totals.get(EngagementGenerator.Kind.EMAIL_CLICK)).isPositive();
        assertThat(totals.get(EngagementGenerator.Kind.FORM_SUBMISSION)).isPositive();
        long mqlsAfter = hs.portal().contacts().stream().filter(c -> WorldSeeder.MQL_STAGE.equals(c.get("lifecyclestage"))).count();
        assertThat(mqlsAfter).isGreaterThan(mqlsBefore);
    }

    @Test
    void salesTeamActsOnMqlsAfterItsDelayAndEachFateIsStable() {
        SalesforceEmulator sf = salesforce();
        World world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(120), sf.org(), hubspot().portal(), clock);
        SalesTeamSimulator.Config config = new SalesTeamSimulator.Config(0.3, 0.3, 0.3, Duration.ofMinutes(10), Duration.ofMinutes(20), 0.5);
        SalesTeamSimulator team = new SalesTeamSimulator(sf.org(), clock, 42, config);
        List<Map<String, Object>> mqls = sf.org().query("SELECT Id, MQL_At__c FROM Lead WHERE MQL_At__c != null");
        assertThat(mqls).hasSizeGreaterThan(5);

        // every seeded MQL happened at least 5 minutes ago; nobody acts before the minimum delay has passed
        clock.set(mqls.stream().map(m -> (Instant) m.get("MQL_At__c")).min(Instant::compareTo).orElseThrow().plus(Duration.ofMinutes(9)));
        SalesTeamSimulator.Counts early = team.work();
        assertThat(early.accepted() + early.rejected() + early.converted()).isZero();

        clock.set(Instant.parse("2026-11-25T09:00:00Z").plus(Duration.ofMinutes(30)));
        SalesTeamSimulator.Counts done = team.work();
        assertThat(done.accepted()).isPositive();
        assertThat(done.rejected()).isPositive();
        assertThat(done.converted()).isPositive();
        for (Map<String, Object> m : mqls) {
            String id = (String) m.get("Id");
            Map<String, Object> lead = sf.org().get("Lead", id);
            switch (team.fateOf(id)) {
                case ACCEPT -> assertThat(lead.get("Status")).isEqualTo("Working - Contacted");
                case REJECT -> {
                    assertThat(lead.get("Status")).isEqualTo("Closed - Not Converted");
                    assertThat(io.closedloop.sandbox.salesforce.SalesforceOrgProfile.CLASSIC.rejections()).containsKey((String) lead.get("Rejection_Reason__c"));
                    assertThat(io.closedloop.sandbox.salesforce.SalesforceOrgProfile.CLASSIC.rejections().get((String) lead.get("Rejection_Reason__c"))).contains((String) lead.get("Rejection_Detail__c"));
                }
                case CONVERT -> assertThat(lead.get("IsConverted")).isEqualTo(true);
                case IGNORE -> assertThat(lead.get("Status")).isEqualTo("Open - Not Contacted");
            }
        }
        // converted leads' opportunities close later, won or lost
        clock.advance(Duration.ofHours(1));
        SalesTeamSimulator.Counts closed = team.work();
        assertThat(closed.won() + closed.lost()).isEqualTo(closed.converted());
        assertThat(sf.org().query("SELECT Id FROM Opportunity WHERE IsClosed = false")).isEmpty();
        assertThat(world.people()).isNotEmpty();
    }
}
