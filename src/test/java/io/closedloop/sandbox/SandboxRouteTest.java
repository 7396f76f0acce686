package io.closedloop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.closedloop.sandbox.world.SalesTeamSimulator;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.testsupport.TestSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox boots both emulators, the world and the real daemon, wired through ordinary settings. */
class SandboxRouteTest {
    @TempDir
    Path dir;

    @Test
    void sandboxPointsTheDaemonAtTheEmulatorsAndKeepsTheWorldMoving() throws Exception {
        Sandbox.Options options = new Sandbox.Options(WorldConfig.defaults().withCompanies(10), 50, TestSettings.freePort(), 0, 0,
                dir.resolve("sandbox"), Duration.ofSeconds(1), SalesTeamSimulator.Config.defaults(), false);
        try (Sandbox sandbox = new Sandbox(options).start()) {
            var settings = sandbox.runtime().settings();
            assertThat(settings.hubspotBaseUrl()).hasToString(sandbox.hubspot().baseUrl());
            assertThat(settings.salesforceLoginUrl()).hasToString(sandbox.salesforce().baseUrl());
            assertThat(settings.dbUrl()).contains(dir.resolve("sandbox").toAbsolutePath().toString());

            await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.progress().engagementGenerated() >= 100);
            assertThat(sandbox.hubspot().portal().emailEventCount()).isPositive();

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + sandbox.httpPort() + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
        assertThat(dir.resolve("sandbox").resolve("closedloop.mv.db")).exists();
    }

    @Test
    void theModernOrgProfileRunsWithTheMappingInitProposesAndItsRejectionsReachHubSpot() throws Exception {
        Sandbox.Options options = new Sandbox.Options(WorldConfig.defaults().withCompanies(6), 5, TestSettings.freePort(), 0, 0,
                dir.resolve("modern"), Duration.ofSeconds(1), new SalesTeamSimulator.Config(0, 0, 0, Duration.ofHours(1),
                Duration.ofHours(2), 0), false).withOrgProfile(io.closedloop.sandbox.salesforce.SalesforceOrgProfile.MODERN);
        try (Sandbox sandbox = new Sandbox(options).start()) {
            var org = sandbox.salesforce().org();
            assertThat(org.query("SELECT Status FROM Lead")).isNotEmpty().allSatisfy(l -> assertThat(l.get("Status")).isEqualTo("New"));
            assertThat(sandbox.runtime().settings().dispositionRules().byLeadStatus())
                    .containsEntry("Unqualified", io.closedloop.core.Disposition.REJECTED);
            var person = sandbox.world().people().stream().filter(p -> p.match() == io.closedloop.sandbox.world.World.Match.LEAD
                    && p.duplicateSfId() == null).findFirst().orElseThrow();
            org.update("Lead", person.sfLeadId(), java.util.Map.of("Status", "Unqualified", "Rejection_Reason__c", "Unresponsive",
                    "Rejection_Detail__c", "Five calls and three emails, no answer"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sandbox.hubspot().portal().contact(person.hubspotContactId()))
                    .containsEntry("sales_disposition", "rejected").containsEntry("sales_rejection_reason", "unresponsive"));
        }
    }
}
