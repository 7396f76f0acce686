package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.salesforce.SalesforceSoql;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays the query examples of reference §2 against the running emulator. */
class SalesforceQueryConformanceTest {
    private SalesforceEmulator emulator;
    private SalesforceTestClient client;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2024-06-03T09:20:40Z"), ZoneOffset.UTC);
        emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults().withClock(clock)).start(0);
        client = new SalesforceTestClient(emulator).login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void queryRecordsCarryAttributesTypedValuesAndNestedParentsPerSection21() {
        String id = emulator.org().insert("Lead", Map.of("LastName", "Lovelace", "Email", "ada@example.com",
                "Status", "Working - Contacted", "Company", "Analytical Engines Ltd", "LeadSource", "Web",
                "Marketing_Engagement_Score__c", 35));
        HttpResponse<String> r = client.query("SELECT Id, Email, Status, IsConverted, ConvertedContactId, OwnerId, Company,"
                + " LeadSource, SystemModstamp, Marketing_Engagement_Score__c, Owner.Name, ConvertedContact.Email FROM Lead"
                + " WHERE SystemModstamp >= 2024-06-03T09:20:40Z ORDER BY SystemModstamp ASC, Id ASC");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("totalSize").isInt()).isTrue();
        assertThat(body.get("totalSize").asInt()).isEqualTo(1);
        assertThat(body.get("done").asBoolean()).isTrue();
        assertThat(body.has("nextRecordsUrl")).isFalse();
        JsonNode lead = body.get("records").get(0);
        assertThat(lead.get("attributes").get("type").asText()).isEqualTo("Lead");
        assertThat(lead.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Lead/" + id);
        assertThat(lead.get("Id").asText()).isEqualTo(id);
        assertThat(lead.get("IsConverted").isBoolean()).isTrue();
        assertThat(lead.get("ConvertedContactId").isNull()).isTrue();
        assertThat(lead.get("SystemModstamp").asText()).isEqualTo("2024-06-03T09:20:40.000+0000");
        assertThat(lead.get("Marketing_Engagement_Score__c").isNumber()).isTrue();
        assertThat(lead.get("Owner").get("attributes").get("type").asText()).isEqualTo("User");
        assertThat(lead.get("Owner").get("Name").asText()).isEqualTo("Closedloop Integration");
        assertThat(lead.get("ConvertedContact").isNull()).isTrue();
        assertThat(emulator.journal().count("salesforce.query", "GET")).isEqualTo(1);
    }

    @Test
    void queryPagesAt2000RowsWithNextRecordsUrl() {
        for (int i = 0; i < 2500; i++) {
            emulator.org().insert("Account", Map.of("Name", "Account " + i));
        }
        JsonNode first = json(client.query("SELECT Id, Name FROM Account"));
        assertThat(first.get("totalSize").asInt()).isEqualTo(2500);
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(2000);
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).matches("/services/data/v62\\.0/query/01g[0-9A-Za-z]+-2000");
        // §2.2: queryMore is a GET of nextRecordsUrl with no parameters
        JsonNode second = json(client.get(next));
        assertThat(second.get("totalSize").asInt()).isEqualTo(2500);
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.get("records")).hasSize(500);
        assertThat(second.has("nextRecordsUrl")).isFalse();
        List<String> names = new ArrayList<>();
        first.get("records").forEach(n -> names.add(n.get("Name").asText()));
        second.get("records").forEach(n -> names.add(n.get("Name").asText()));
        assertThat(names).doesNotHaveDuplicates().hasSize(2500);
        assertThat(emulator.journal().count("salesforce.query.more")).isEqualTo(1);
    }

    @Test
    void batchSizeHeaderIsClampedTo200Through2000() {
        for (int i = 0; i < 450; i++) {
            emulator.org().insert("Account", Map.of("Name", "A" + i));
        }
        JsonNode small = json(client.query("SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=50"));
        assertThat(small.get("records")).hasSize(200);
        JsonNode page = json(client.query("SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=300"));
        assertThat(page.get("records")).hasSize(300);
        assertThat(page.get("nextRecordsUrl").asText()).endsWith("-300");
    }

    @Test
    void countQueryReportsTotalSizeWithNoRecords() {
        emulator.org().insert("Account", Map.of("Name", "A"));
        emulator.org().insert("Account", Map.of("Name", "B"));
        JsonNode body = json(client.get(V + "/query?q=SELECT+COUNT()+FROM+Account"));
        assertThat(body.get("totalSize").asInt()).isEqualTo(2);
        assertThat(body.get("records")).isEmpty();
    }

    @Test
    void malformedAndInvalidQueriesAnswer400WithTheErrorArray() {
        HttpResponse<String> malformed = client.query("SELECT Id FROM Lead WHERE Email = 'x' OR");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get(0).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(json(malformed).get(0).get("message").isTextual()).isTrue();
        HttpResponse<String> field = client.query("SELECT Id, FullName FROM Account");
        assertThat(field.statusCode()).isEqualTo(400);
        assertThat(json(field).get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(json(field).get(0).get("message").asText()).contains("No such column 'FullName' on entity 'Account'");
        HttpResponse<String> type = client.query("SELECT Id FROM Widget__c");
        assertThat(json(type).get(0).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
    }

    @Test
    void urlEncodedEscapesReachTheParserIntact() {
        Map<String, Object> f = new HashMap<>(Map.of("LastName", "O'Brien", "Company", "X", "Email", "o'brien@x.com"));
        String id = emulator.org().insert("Lead", f);
        emulator.org().insert("Lead", Map.of("LastName", "Other", "Company", "X", "Email", "other@x.com"));
        JsonNode hit = json(client.query("SELECT Id FROM Lead WHERE Email = 'o\\'brien@x.com'"));
        assertThat(hit.get("records")).hasSize(1);
        assertThat(hit.get("records").get(0).get("Id").asText()).isEqualTo(id);
        assertThat(json(client.query("SELECT Id FROM Lead WHERE Email = 'x\\' OR Name != \\''")).get("totalSize").asInt())
                .isZero();
    }

    @Test
    void domainWildcardsInTheWebsiteLikeMatchOnlyThemselvesPerSection23() {
        String underscore = emulator.org().insert("Account", Map.of("Name", "U", "Website", "https://www.a_b.com"));
        emulator.org().insert("Account", Map.of("Name", "X", "Website", "https://axb.com"));
        String percent = emulator.org().insert("Account", Map.of("Name", "P", "Website", "50%off.com"));
        emulator.org().insert("Account", Map.of("Name", "Q", "Website", "50-percent-off.com"));
        assertThat(websiteIds("a_b.com")).containsExactly(underscore);
        assertThat(websiteIds("50%off.com")).containsExactly(percent);
    }

    /** The Website match of SalesforceAccountFinder, sent as the daemon sends it. */
    private List<String> websiteIds(String domain) {
        HttpResponse<String> r = client.query("SELECT Id, Website FROM Account WHERE Website LIKE " + SalesforceSoql.endsWith(domain));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).get("records").forEach(a -> ids.add(a.get("Id").asText()));
        return ids;
    }
}
