package io.closedloop.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.sandbox.salesforce.SalesforceOrg.ValidationException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SalesforceOrgTest {
    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2024-06-03T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final SalesforceOrg org = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock)).org();

    private String lead(String last) {
        return org.insert("Lead", Map.of("LastName", last, "Company", "Acme"));
    }

    private static void rejects(String code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(code));
    }

    @Test
    void idsAreEighteenCharactersWithTheKeyPrefixAndDeterministic() {
        String first = lead("A");
        assertThat(first).hasSize(18).startsWith("00Q");
        String again = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).org().insert("Lead",
                Map.of("LastName", "A", "Company", "Acme"));
        assertThat(again).isEqualTo(first);
        assertThat(org.insert("Account", Map.of("Name", "X"))).startsWith("001").isNotEqualTo(first);
        assertThat(SalesforceIds.to18(first.substring(0, 15))).isEqualTo(first);
    }

    @Test
    void insertFillsDefaultsDerivedFieldsAndTimestamps() {
        String id = org.insert("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace", "Company", "AE",
                "Marketing_Engagement_Score__c", 35, "MQL_At__c", "2024-06-03T09:14:11.000+0000"));
        Map<String, Object> lead = org.get("lead", id);
        assertThat(lead).containsEntry("Name", "Ada Lovelace").containsEntry("Status", "Open - Not Contacted")
                .containsEntry("IsConverted", false).containsEntry("OwnerId", org.userId())
                .containsEntry("Marketing_Engagement_Score__c", new BigDecimal(35))
                .containsEntry("MQL_At__c", Instant.parse("2024-06-03T09:14:11Z"))
                .containsEntry("SystemModstamp", clock.now).containsEntry("CreatedDate", clock.now);
    }

    @Test
    void updatesBumpLastModifiedDateAndSystemModstamp() {
        String id = lead("A");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        org.update("Lead", id, Map.of("Email", "a@x.com"));
        Map<String, Object> lead = org.get("Lead", id);
        assertThat(lead.get("SystemModstamp")).isEqualTo(clock.now);
        assertThat(lead.get("LastModifiedDate")).isEqualTo(clock.now);
        assertThat(lead.get("CreatedDate")).isNotEqualTo(clock.now);
        Map<String, Object> cleared = new HashMap<>();
        cleared.put("Email", null);
        org.update("Lead", id, cleared);
        assertThat(org.get("Lead", id).get("Email")).isNull();
    }

    @Test
    void writesAreValidatedWithThePerRecordCodes() {
        String id = lead("A");
        rejects("INVALID_FIELD", () -> org.insert("Lead", Map.of("LastName", "B", "Company", "C", "Nope__c", 1)));
        rejects("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", () -> org.update("Lead", id, Map.of("Status", "Hot")));
        rejects("STRING_TOO_LONG", () -> org.insert("Task", Map.of("Subject", "x".repeat(256))));
        rejects("REQUIRED_FIELD_MISSING", () -> org.insert("Lead", Map.of("LastName", "NoCompany")));
        rejects("INVALID_FIELD_FOR_INSERT_UPDATE", () -> org.update("Lead", id, Map.of("IsConverted", true)));
        rejects("INVALID_FIELD_FOR_INSERT_UPDATE", () -> org.update("Lead", id, Map.of("SystemModstamp", "2024-01-01T00:00:00Z")));
        rejects("MALFORMED_ID", () -> org.insert("Task", Map.of("WhoId", "not-an-id")));
        rejects("INVALID_CROSS_REFERENCE_KEY", () -> org.insert("Task", Map.of("WhoId", "00Q000000000000AAA")));
        rejects("INVALID_CROSS_REFERENCE_KEY", () -> org.insert("Task", Map.of("WhoId", org.userId())));
        rejects("INVALID_TYPE_ON_FIELD_IN_RECORD", () -> org.update("Lead", id, Map.of("MQL_At__c", "yesterday")));
        assertThat(org.get("Lead", id).get("Status")).isEqualTo("Open - Not Contacted");
    }

    @Test
    void uniqueExternalIdsRejectDuplicatesCaseInsensitively() {
        Map<String, Object> activity = Map.of("Activity_Type__c", "Email Open", "Source__c", "HubSpot Email",
                "Occurred_At__c", "2024-06-03T09:00:00Z", "Closedloop_Event_Id__c", "EV-1");
        String first = org.insert("Marketing_Activity__c", activity);
        assertThat(org.get("Marketing_Activity__c", first).get("Name")).isEqualTo("MA-000000001");
        Map<String, Object> dup = new HashMap<>(activity);
        dup.put("Closedloop_Event_Id__c", "ev-1");
        rejects("DUPLICATE_VALUE", () -> org.insert("Marketing_Activity__c", dup));
    }

    @Test
    void upsertMatchesTheExternalIdCaseInsensitively() {
        SalesforceOrg.SaveOutcome created = org.upsert("Lead", "HubSpot_Contact_Id__c", "HS-1",
                Map.of("HubSpot_Contact_Id__c", "HS-1", "LastName", "A", "Company", "C"), true);
        SalesforceOrg.SaveOutcome updated = org.upsert("Lead", "HubSpot_Contact_Id__c", "hs-1",
                Map.of("HubSpot_Contact_Id__c", "hs-1", "Email", "a@x.com"), true);
        assertThat(created.created()).isTrue();
        assertThat(updated.created()).isFalse();
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(org.all("Lead")).hasSize(1);
    }

    @Test
    void visitAfterShowsEachRecordOnceInCreationOrderEvenWhenOneIsUpdated() {
        String a = lead("A");
        String b = lead("B");
        List<Object> seen = new ArrayList<>();
        int known = org.visitAfter("Lead", 0, r -> seen.add(r.get("Id")));
        assertThat(seen).containsExactly(a, b);
        assertThat(known).isEqualTo(2);

        org.update("Lead", a, Map.of("Email", "a@x.com"));
        String c = lead("C");
        seen.clear();
        known = org.visitAfter("Lead", known, r -> seen.add(r.get("Id")));
        assertThat(seen).as("only the record created since; the updated one keeps its place").containsExactly(c);
        assertThat(known).isEqualTo(3);

        seen.clear();
        assertThat(org.visitAfter("Lead", known, r -> seen.add(r.get("Id")))).isEqualTo(3);
        assertThat(seen).isEmpty();
    }

    @Test
    void convertedLeadsAreReadOnlyAndPointAtTheirContact() {
        String id = org.insert("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace", "Company", "AE",
                "Email", "ada@example.com", "HubSpot_Contact_Id__c", "100451"));
        String task = org.insert("Task", Map.of("WhoId", id, "Subject", "hello"));
        SalesforceOrg.ConvertResult result = org.convertLead(id, null, true);
        Map<String, Object> lead = org.get("Lead", id);
        assertThat(lead).containsEntry("IsConverted", true).containsEntry("ConvertedContactId", result.contactId())
                .containsEntry("ConvertedAccountId", result.accountId())
                .containsEntry("ConvertedOpportunityId", result.opportunityId())
                .containsEntry("ConvertedDate", LocalDate.of(2024, 6, 3)).containsEntry("Status", "Closed - Converted");
        assertThat(org.get("Contact", result.contactId())).containsEntry("Email", "ada@example.com")
                .containsEntry("AccountId", result.accountId()).containsEntry("HubSpot_Contact_Id__c", "100451");
        assertThat(org.get("Account", result.accountId())).containsEntry("Name", "AE");
        assertThat(org.get("Opportunity", result.opportunityId())).containsEntry("IsClosed", false);
        assertThat(org.get("Task", task)).containsEntry("WhoId", result.contactId());
        rejects("CANNOT_UPDATE_CONVERTED_LEAD", () -> org.update("Lead", id, Map.of("Email", "x@y.com")));
    }

    @Test
    void inputValuesOfEveryAcceptedShapeAreNormalized() {
        String id = org.insert("Lead", Map.of("LastName", "A", "Company", "C", "Marketing_Engagement_Score__c", 12L,
                "MQL_At__c", "2024-06-03T11:14:11+02:00", "Last_Marketing_Activity_At__c", "2024-06-03T09:14:11"));
        org.update("Lead", id, Map.of("Marketing_Activity_7d__c", 2.5d));
        Map<String, Object> lead = org.get("Lead", id);
        assertThat(lead.get("Marketing_Engagement_Score__c")).isEqualTo(new BigDecimal(12));
        assertThat(lead.get("Marketing_Activity_7d__c")).isEqualTo(new BigDecimal("2.5"));
        assertThat(lead.get("MQL_At__c")).isEqualTo(Instant.parse("2024-06-03T09:14:11Z"));
        assertThat(lead.get("Last_Marketing_Activity_At__c")).isEqualTo(Instant.parse("2024-06-03T09:14:11Z"));
    }

    @Test
    void externalIdLookupsStayIndexedAtTenThousandRecords() {
        for (int i = 0; i < 10_000; i++) {
            org.insert("Lead", Map.of("LastName", "L" + i, "Company", "C", "HubSpot_Contact_Id__c", "HS-" + i));
        }
        long start = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            assertThat(org.query("SELECT Id, HubSpot_Contact_Id__c FROM Lead WHERE HubSpot_Contact_Id__c IN ('hs-" + i
                    + "', 'HS-" + (i + 1) + "')")).hasSize(2);
        }
        // 2,000 lookups over 10,000 rows: the external-id index answers each without a scan
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(org.query("SELECT Id FROM Lead WHERE SystemModstamp >= 2024-06-03T09:00:00Z ORDER BY SystemModstamp, Id"
                + " LIMIT 3")).hasSize(3);
    }

    @Test
    void opportunityAndTaskFlagsAreDerived() {
        String opp = org.insert("Opportunity", Map.of("Name", "Deal", "StageName", "Closed Won", "CloseDate", "2024-07-01",
                "Amount", 1200.5));
        assertThat(org.get("Opportunity", opp)).containsEntry("IsClosed", true).containsEntry("IsWon", true)
                .containsEntry("Amount", new BigDecimal("1200.5")).containsEntry("CloseDate", LocalDate.of(2024, 7, 1));
        String task = org.insert("Task", Map.of("Subject", "s", "Status", "Completed"));
        assertThat(org.get("Task", task)).containsEntry("IsClosed", true).containsEntry("Priority", "Normal");
    }
}
