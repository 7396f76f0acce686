package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceLeadCreatorTest {
    @Test
    void theEmailStandsInForAMissingLastNameAndCompany() {
        assertThat(SalesforceLeadCreator.newLead(mql("ada@acme.com", Map.of())))
                .containsExactly(Map.entry("LastName", "ada"), Map.entry("Company", "acme.com"), Map.entry("Email", "ada@acme.com"));
    }

    @Test
    void namesAndCompanyAreCutToTheirFieldLengths() {
        var lead = SalesforceLeadCreator.newLead(mql("ada@acme.com",
                Map.of("first name", "F".repeat(50), "last name", "L".repeat(90), "company", "C".repeat(300))));
        assertThat(lead.get("FirstName")).isEqualTo("F".repeat(40));
        assertThat(lead.get("LastName")).isEqualTo("L".repeat(80));
        assertThat(lead.get("Company")).isEqualTo("C".repeat(255));
    }

    private static EngagementEvent mql(String email, Map<String, String> details) {
        return new EngagementEvent("crm:mql:1", EngagementEvent.Source.CRM, ActivityType.BECAME_MQL, Instant.parse("2024-06-03T09:00:00Z"),
                email, "101", null, null, null, details);
    }
}
