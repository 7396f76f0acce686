package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.testsupport.Emulators;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routes/hubspot-engagement-source.camel.yaml: each templated source keeps its route ids, endpoints and toggle. */
class HubSpotEngagementSourceRouteTest {
    private static final List<String> SOURCES = List.of("hubspot-email-events", "hubspot-form-submissions", "hubspot-contact-changes",
            "hubspot-list-memberships");

    @TempDir
    Path dir;

    @Test
    void everySourceHasATriggerAndAPollRouteAndItsToggleIsOnUnlessSetOff() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Emulators emulators = new Emulators(dir, clock)) {
            // every toggle off but the form source's, which is left unset
            Map<String, String> props = Map.of("closedloop.flow.hubspot-email-events", "false", "closedloop.flow.hubspot-contact-changes", "false",
                    "closedloop.flow.hubspot-list-memberships", "false", "closedloop.flow.salesforce-unmatched-retry", "false",
                    "closedloop.flow.salesforce-dispositions", "false", "closedloop.flow.sla-watch", "false",
                    "closedloop.flow.state-retention", "false");
            try (ClosedloopRuntime runtime = new ClosedloopRuntime(TestSettings.settings(dir, emulators.env()), clock,
                    ClosedloopRuntime.ROUTES, props)) {
                runtime.start();
                CamelContext camel = runtime.camelContext();
                for (String source : SOURCES) {
                    assertThat(camel.getRoute(source + "-poll").getEndpoint().getEndpointUri()).isEqualTo("direct://" + source + "-poll");
                    assertThat(camel.getRouteController().getRouteStatus(source + "-poll")).isEqualTo(ServiceStatus.Started);
                    assertThat(camel.getRoute(source + "-source").getEndpoint().getEndpointUri())
                            .startsWith("quartz://closedloop/" + source + "?").contains("trigger.repeatCount=-1", "stateful=true");
                    assertThat(camel.getRoute(source + "-source").getConfigurationId()).isEqualTo("source-error-handling");
                    assertThat(camel.getRoute(source + "-poll").getConfigurationId()).isEqualTo("source-error-handling");
                    assertThat(camel.getRouteController().getRouteStatus(source + "-source")).isEqualTo(
                            source.equals("hubspot-form-submissions") ? ServiceStatus.Started : ServiceStatus.Stopped);
                }
            }
        }
    }
}
