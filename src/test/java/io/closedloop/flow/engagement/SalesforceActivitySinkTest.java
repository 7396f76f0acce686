package io.closedloop.flow.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.salesforce.SalesforceIdentityResolver.Resolution;
import io.closedloop.salesforce.SalesforceIdentityResolver.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SalesforceActivitySinkTest {
    private static final Target LEAD = new Target("Lead", "00Q000000000001AAA", null, null, null, Map.of());
    private static final Target CONTACT = new Target("Contact", "003000000000001AAA", "001000000000001AAA", null, null, Map.of());

    @Test
    void aResolvedPersonsEventIsWritable() {
        var resolution = new Resolution(Map.of("ada@acme.com", LEAD), Map.of(), Set.of(), Set.of());
        assertThat(SalesforceActivitySink.unwritable(event("ada@acme.com"), resolution)).isNull();
    }

    @Test
    void anEventWithoutAValidEmailIsParkedAsInvalidEmail() {
        var resolution = new Resolution(Map.of(), Map.of(), Set.of(), Set.of("not-an-email"));
        assertThat(SalesforceActivitySink.unwritable(event(null), resolution)).startsWith("INVALID_EMAIL: ");
        assertThat(SalesforceActivitySink.unwritable(event("not-an-email"), resolution)).startsWith("INVALID_EMAIL: ");
    }

    @Test
    void anEmailSeveralRecordsShareIsParkedWithTheirIds() {
        var resolution = new Resolution(Map.of(), Map.of("ada@acme.com", List.of(LEAD, CONTACT)), Set.of(), Set.of());
        assertThat(SalesforceActivitySink.unwritable(event("ada@acme.com"), resolution))
                .isEqualTo("DUPLICATE_EMAIL: several Salesforce records share this email: Lead 00Q000000000001AAA, Contact 003000000000001AAA");
    }

    @Test
    void anEmailNobodyHasIsParkedAsUnmatched() {
        var resolution = new Resolution(Map.of(), Map.of(), Set.of("ada@acme.com"), Set.of());
        assertThat(SalesforceActivitySink.unwritable(event("ada@acme.com"), resolution)).startsWith("UNMATCHED: ");
    }

    private static EngagementEvent event(String email) {
        return new EngagementEvent("email:open:1", EngagementEvent.Source.EMAIL, ActivityType.EMAIL_OPEN, Instant.parse("2024-06-03T09:00:00Z"),
                email, "101", "Newsletter", null, null, Map.of());
    }
}
