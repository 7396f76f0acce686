package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.http.Fault;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` checks the Salesforce schema before Flow 1 runs: the real daemon and YAML routes against the emulators. */
class SalesforceSchemaCheckRouteTest {
    private static final List<String> FLOW_1 = List.of("hubspot-email-events-source", "hubspot-email-events-poll",
            "hubspot-form-submissions-source", "hubspot-form-submissions-poll", "hubspot-contact-changes-source",
            "hubspot-contact-changes-poll", "hubspot-list-memberships-source", "hubspot-list-memberships-poll",
            "salesforce-activity-sink", "salesforce-unmatched-retry", "salesforce-unmatched-retry-poll");

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newHttpClient();
    private Emulators emulators;
    private World world;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    private HttpResponse<String> health(ClosedloopRuntime runtime) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.settings().httpPort() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The message of the readiness check that reports stopped flows. */
    private String flowsMessage(ClosedloopRuntime runtime) throws Exception {
        for (JsonNode check : new ObjectMapper().readTree(health(runtime).body()).path("checks")) {
            if (check.path("name").asText().equals("flows")) {
                return check.path("message").asText();
            }
        }
        throw new AssertionError("no flows check in " + health(runtime).body());
    }

    private void openEmailOf(World.Match match) {
        World.Person p = world.people().stream().filter(x -> x.match() == match && x.duplicateSfId() == null).findFirst().orElseThrow();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("evt-1", clock.instant().minusSeconds(60).toEpochMilli(), "OPEN",
                p.email(), world.campaigns().get(0).id(), Map.of()));
    }

    private long activities() {
        return ((Number) emulators.salesforce.org().query("SELECT COUNT() FROM Marketing_Activity__c").get(0).get("count")).longValue();
    }

    @Test
    void theShippedMetadataPassesAndFlowOneRuns() throws Exception {
        ClosedloopRuntime runtime = emulators.startDaemon();
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.schemaGate().status().equals("ok"));
        assertThat(health(runtime).statusCode()).isEqualTo(200);
        openEmailOf(World.Match.LEAD);
        emulators.poll("hubspot-email-events");
        assertThat(activities()).isEqualTo(1);
    }

    @Test
    void aMissingMappedFieldKeepsFlowOneFromRunningAndHealthSaysWhy() throws Exception {
        emulators.salesforce.org().removeField("Lead", "MQL_At__c");
        openEmailOf(World.Match.LEAD);
        ClosedloopRuntime runtime = emulators.startDaemon();

        await().atMost(Duration.ofSeconds(20)).until(() -> health(runtime).statusCode() == 503);
        assertThat(health(runtime).body()).startsWith("{\"status\":\"DOWN\"");
        assertThat(flowsMessage(runtime))
                .endsWith(" stopped: Salesforce schema: Lead.MQL_At__c does not exist or is not visible for the integration user;"
                        + " deploy the salesforce directory (sf project deploy start) and assign the Closedloop_Integration"
                        + " permission set to the integration user");
        await().atMost(Duration.ofSeconds(20)).until(() -> FLOW_1.stream()
                .allMatch(id -> runtime.camelContext().getRouteController().getRouteStatus(id) == ServiceStatus.Stopped));
        assertThat(runtime.flowHealth().stoppedFlows()).containsOnlyKeys(FLOW_1);
        // nothing was read from HubSpot or written to Salesforce
        assertThat(emulators.hubspot.journal().count("hubspot.email.events")).isZero();
        assertThat(activities()).isZero();
    }

    @Test
    void aBadPicklistValueIsReportedInHealthByField() throws Exception {
        emulators.salesforce.org().replacePicklistValues("Marketing_Activity__c", "Source__c", "HubSpot Email", "HubSpot Form",
                "HubSpot CRM");
        ClosedloopRuntime runtime = emulators.startDaemon();

        await().atMost(Duration.ofSeconds(20)).until(() -> health(runtime).statusCode() == 503);
        assertThat(flowsMessage(runtime)).contains("Salesforce schema: Marketing_Activity__c.Source__c restricted picklist lacks"
                + " 'HubSpot List'; deploy the salesforce directory");
    }

    @Test
    void aSalesforceThatCannotAnswerAtStartupDoesNotBlockAndTheFirstPollChecksAgain() throws Exception {
        emulators.salesforce.faults().failRate("salesforce.composite", Fault.serverError(503), 1.0);
        ClosedloopRuntime runtime = emulators.startDaemon();
        await().atMost(Duration.ofSeconds(20)).until(() -> emulators.salesforce.journal().count("salesforce.composite") > 0);
        assertThat(runtime.schemaGate().status()).isEqualTo("unknown");
        assertThat(health(runtime).statusCode()).isEqualTo(200);

        emulators.salesforce.faults().clear();
        openEmailOf(World.Match.CONTACT);
        emulators.poll("hubspot-email-events");
        assertThat(runtime.schemaGate().status()).isEqualTo("ok");
        assertThat(activities()).isEqualTo(1);
    }
}
