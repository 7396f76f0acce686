package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.state.MutableClock;
import io.closedloop.state.ParkedRecords;
import io.closedloop.core.ErrorKind;
import io.closedloop.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily retention route through the real YAML: resolved and long-unseen parked records go, the rest stay. */
class StateRetentionRouteTest {
    @TempDir
    Path dir;

    @Test
    void retentionDeletesResolvedRecordsAndRecordsLastSeenBeforeTheCutoffOnly() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-01T00:00:00Z"));
        Map<String, String> env = TestSettings.env(dir);
        env.put("CLOSEDLOOP_PARKED_RETENTION", "7d");
        try (ClosedloopRuntime runtime = new ClosedloopRuntime(TestSettings.settings(dir, env), clock, ClosedloopRuntime.ROUTES,
                Map.of("closedloop.flow.state-retention", "false"))) {
            runtime.start();
            ParkedRecords parked = runtime.store().parked();
            var old = parked.park("hubspot-email-events", "email:old", "{}", "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
            var oldButSeenAgain = parked.park("hubspot-email-events", "email:again", "{}", "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
            clock.advance(Duration.ofDays(6));
            var resolved = parked.park("hubspot-form-submissions", "form:fixed", "{}", "bad picklist", ErrorKind.SKIPPABLE,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            parked.markResolved(resolved.id());
            parked.park("hubspot-email-events", "email:again", "{}", "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
            var recent = parked.park("salesforce-summary", "003000000000001AAA", "{}", "too long", ErrorKind.SKIPPABLE, "STRING_TOO_LONG");
            clock.advance(Duration.ofDays(2));

            try (ProducerTemplate template = runtime.camelContext().createProducerTemplate()) {
                template.sendBody("direct:state-retention-run", null);
            }

            assertThat(parked.byId(old.id())).as("last seen 8 days ago").isEmpty();
            assertThat(parked.byId(resolved.id())).as("resolved").isEmpty();
            assertThat(parked.byId(oldButSeenAgain.id())).as("first seen 8 days ago, last seen 2 days ago").isPresent();
            assertThat(parked.byId(recent.id())).isPresent();
            assertThat(parked.countParked()).isEqualTo(2);
        }
    }
}
