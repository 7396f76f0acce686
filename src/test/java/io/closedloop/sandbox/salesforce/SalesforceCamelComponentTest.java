package io.closedloop.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Runs Apache camel-salesforce itself against the emulator: login, query, collections upsert. */
class SalesforceCamelComponentTest {

    @Test
    void camelSalesforceQueriesAndUpsertsCollectionsAgainstTheEmulator() throws Exception {
        try (SalesforceEmulator emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0);
             CamelContext camel = new DefaultCamelContext()) {
            emulator.org().insert("Lead", Map.of("LastName", "Lovelace", "Company", "AE", "Email", "ada@example.com"));
            SalesforceComponent salesforce = new SalesforceComponent();
            salesforce.setLoginUrl(emulator.baseUrl());
            salesforce.setClientId("sandbox-client-id");
            salesforce.setClientSecret("sandbox-client-secret");
            salesforce.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
            SalesforceEndpointConfig config = new SalesforceEndpointConfig();
            config.setApiVersion("62.0");
            salesforce.setConfig(config);
            camel.addComponent("salesforce", salesforce);
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();

            String raw = producer.requestBody("salesforce:query?rawPayload=true&sObjectQuery="
                    + "SELECT Id, Email, Owner.Name FROM Lead WHERE Email = 'ada@example.com'", null, String.class);
            assertThat(raw).contains("\"totalSize\":1").contains("\"Email\":\"ada@example.com\"")
                    .contains("\"Owner\":{\"attributes\"");

            Object typed = producer.requestBody("salesforce:query?sObjectClass=java.util.LinkedHashMap&sObjectQuery="
                    + "SELECT Id, Email FROM Lead", (Object) null);
            assertThat(typed).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) typed).get("totalSize")).isEqualTo(1);

            List<Map<String, Object>> records = List.of(
                    lead("100451", "Lovelace", "ada@example.com"), lead("100977", "Hopper", "grace@example.com"));
            @SuppressWarnings("unchecked")
            List<UpsertSObjectResult> results = producer.requestBody(
                    "salesforce:compositeUpsertSObjectCollections?sObjectName=Lead&sObjectIdName=HubSpot_Contact_Id__c",
                    records, List.class);
            assertThat(results).hasSize(2).allSatisfy(r -> {
                assertThat(r.getSuccess()).isTrue();
                assertThat(r.getCreated()).isTrue();
            });
            assertThat(emulator.org().query("SELECT Id FROM Lead WHERE HubSpot_Contact_Id__c IN ('100451', '100977')"))
                    .hasSize(2);

            assertThat(emulator.journal().count("salesforce.token", "POST")).isEqualTo(1);
            assertThat(emulator.journal().count("salesforce.query", "GET")).isEqualTo(2);
            assertThat(emulator.journal().count("salesforce.collections.upsert", "PATCH")).isEqualTo(1);
            assertThat(emulator.org().apiCallsToday()).isEqualTo(3);
        }
    }

    private static Map<String, Object> lead(String hubspotId, String lastName, String email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attributes", Map.of("type", "Lead"));
        m.put("HubSpot_Contact_Id__c", hubspotId);
        m.put("LastName", lastName);
        m.put("Company", "Closedloop");
        m.put("Email", email);
        return m;
    }
}
