package io.closedloop.sandbox.salesforce.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.sandbox.salesforce.SalesforceOrg;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SoqlEvaluatorTest {
    private SalesforceOrg org;
    private String obrien;
    private String ada;

    @BeforeEach
    void seed() {
        Clock clock = Clock.fixed(Instant.parse("2024-06-03T09:20:40Z"), ZoneOffset.UTC);
        org = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock)).org();
        obrien = lead("O'Brien", "o'brien@x.com", "Acme", "Web");
        ada = lead("Lovelace", "ada@example.com", "Analytical Engines Ltd", null);
        lead("Hopper", null, "Navy", "Other");
        lead("Under_Score", "50%off@x.com", "Deals", "Web");
    }

    private String lead(String last, String email, String company, String source) {
        Map<String, Object> f = new HashMap<>();
        f.put("LastName", last);
        f.put("Email", email);
        f.put("Company", company);
        f.put("LeadSource", source);
        return org.insert("Lead", f);
    }

    private List<Object> ids(String soql) {
        return org.query(soql).stream().map(r -> r.get("Id")).toList();
    }

    @Test
    void escapedInjectionMatchesNothing() {
        assertThat(ids("SELECT Id FROM Lead WHERE Email = 'x\\' OR Name != \\''")).isEmpty();
    }

    @Test
    void escapedQuoteMatchesTheApostropheEmail() {
        assertThat(ids("SELECT Id FROM Lead WHERE Email = 'o\\'brien@x.com'")).containsExactly(obrien);
    }

    @Test
    void stringEqualityIsCaseInsensitiveAndFieldNamesToo() {
        assertThat(ids("select id from lead where EMAIL = 'ADA@EXAMPLE.COM'")).containsExactly(ada);
        assertThat(org.query("SELECT email, company FROM LEAD WHERE Id = '" + ada + "'").get(0))
                .containsOnlyKeys("Email", "Company");
    }

    @Test
    void likeHonoursWildcardsAndEscapes() {
        assertThat(ids("SELECT Id FROM Lead WHERE LastName LIKE 'lov%'")).containsExactly(ada);
        assertThat(ids("SELECT Id FROM Lead WHERE LastName LIKE 'Under\\_%'")).hasSize(1);
        assertThat(ids("SELECT Id FROM Lead WHERE LastName LIKE 'Under\\%%'")).isEmpty();
        assertThat(ids("SELECT Id FROM Lead WHERE Email LIKE '50\\%%'")).hasSize(1);
    }

    @Test
    void nullComparisonsAndNotEqualsIncludeNulls() {
        assertThat(ids("SELECT Id FROM Lead WHERE Email = null")).hasSize(1);
        assertThat(ids("SELECT Id FROM Lead WHERE Email != null")).hasSize(3);
        assertThat(ids("SELECT Id FROM Lead WHERE LeadSource != 'Web'")).hasSize(2);
        assertThat(ids("SELECT Id FROM Lead WHERE LeadSource NOT IN ('Web')")).hasSize(2);
        assertThat(ids("SELECT Id FROM Lead WHERE LeadSource IN ('Web', 'Other')")).hasSize(3);
    }

    @Test
    void orderByHonoursDirectionAndNullsPlacement() {
        List<Object> asc = org.query("SELECT LeadSource FROM Lead ORDER BY LeadSource ASC NULLS LAST, LastName")
                .stream().map(r -> r.get("LeadSource")).toList();
        assertThat(asc).containsExactly("Other", "Web", "Web", null);
        List<Object> desc = org.query("SELECT LastName FROM Lead ORDER BY LastName DESC LIMIT 2 OFFSET 1")
                .stream().map(r -> r.get("LastName")).toList();
        assertThat(desc).containsExactly("O'Brien", "Lovelace");
    }

    @Test
    void datetimeLiteralsCompareAgainstDatetimeFields() {
        assertThat(ids("SELECT Id FROM Lead WHERE SystemModstamp >= 2024-06-03T09:20:40Z")).hasSize(4);
        assertThat(ids("SELECT Id FROM Lead WHERE SystemModstamp > 2024-06-03T11:20:40.000+02:00")).isEmpty();
        assertThat(ids("SELECT Id FROM Lead WHERE SystemModstamp < 2024-06-03T09:20:41Z AND (Email = 'ada@example.com'"
                + " OR LastName = 'Hopper')")).hasSize(2);
    }

    @Test
    void parentRelationshipPathsResolveThroughLookups() {
        Map<String, Object> row = org.query("SELECT Id, Owner.Name, Owner.Username, ConvertedAccount.Name FROM Lead WHERE Id = '"
                + ada + "'").get(0);
        assertThat(row).containsEntry("Owner.Name", "Closedloop Integration")
                .containsEntry("Owner.Username", "integration@closedloop.sandbox")
                .containsEntry("ConvertedAccount.Name", null);
        String activity = org.insert("Marketing_Activity__c", Map.of("Lead__c", ada, "Activity_Type__c", "Email Open",
                "Source__c", "HubSpot Email", "Occurred_At__c", "2024-06-03T09:00:00Z", "Closedloop_Event_Id__c", "ev-1"));
        assertThat(org.query("SELECT lead__r.email FROM Marketing_Activity__c WHERE lead__r.Company = 'analytical engines ltd'"))
                .containsExactly(Map.of("Lead__r.Email", "ada@example.com"));
        assertThat(activity).startsWith("a00");
    }

    @Test
    void unknownFieldsAndObjectsAreRejectedWithTheirCodes() {
        assertThatThrownBy(() -> org.query("SELECT Id, FullName FROM Account"))
                .isInstanceOfSatisfying(SoqlException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("INVALID_FIELD");
                    assertThat(e.getMessage()).startsWith("No such column 'FullName' on entity 'Account'");
                });
        assertThatThrownBy(() -> org.query("SELECT Id FROM Nope__c"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_TYPE"));
        assertThatThrownBy(() -> org.query("SELECT Id FROM Lead WHERE SystemModstamp > '2024-01-01'"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_FIELD"));
        assertThatThrownBy(() -> org.query("SELECT Nobody.Name FROM Lead"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.errorCode()).isEqualTo("INVALID_FIELD"));
    }

    @Test
    void countReturnsTheNumberOfMatches() {
        SalesforceEmulator emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults());
        emulator.org().insert("Account", Map.of("Name", "A"));
        emulator.org().insert("Account", Map.of("Name", "B"));
        assertThat(emulator.org().query("SELECT COUNT() FROM Account WHERE Name = 'b'")).containsExactly(Map.of("count", 1));
        assertThat(emulator.org().all("Account")).hasSize(2);
    }
}
