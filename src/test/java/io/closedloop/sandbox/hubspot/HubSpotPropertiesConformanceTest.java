package io.closedloop.sandbox.hubspot;

import static io.closedloop.sandbox.hubspot.HubSpotTestClient.assertSameShape;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.fixture;
import static io.closedloop.sandbox.hubspot.HubSpotTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotPropertiesConformanceTest {
    private HubSpotEmulator emulator;
    private HubSpotTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new HubSpotEmulator(HubSpotEmulator.Config.defaults()).start(0);
        client = new HubSpotTestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void standardContactPropertiesAreSeededWithTheirTypes() {
        HttpResponse<String> r = client.get("/crm/v3/properties/contacts");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(r).get("results").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).contains("email", "firstname", "lastname", "company", "hubspotscore", "lifecyclestage", "hs_lead_status",
                "hs_analytics_num_page_views", "hs_analytics_last_url", "hs_analytics_last_visit_timestamp",
                "recent_conversion_event_name", "recent_conversion_date", "hs_object_id", "createdate", "lastmodifieddate",
                "hubspot_owner_id");
        JsonNode stage = json(client.get("/crm/v3/properties/contacts/lifecyclestage"));
        assertThat(stage.get("type").asText()).isEqualTo("enumeration");
        List<String> options = new ArrayList<>();
        stage.get("options").forEach(o -> options.add(o.get("value").asText()));
        assertThat(options).containsExactly("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
                "customer", "evangelist", "other");
        assertThat(json(client.get("/crm/v3/properties/contacts/lastmodifieddate")).get("type").asText()).isEqualTo("datetime");
    }

    @Test
    void unknownPropertyIsNotFound() {
        HttpResponse<String> r = client.get("/crm/v3/properties/contacts/sales_rejection_reason");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    }

    @Test
    void groupCreateIsCreatedThenConflict() {
        // §6.1
        HttpResponse<String> created = client.post("/crm/v3/properties/contacts/groups", fixture("properties-groups-create-request.json").toString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created)).isEqualTo(fixture("properties-groups-create-response.json"));
        HttpResponse<String> again = client.post("/crm/v3/properties/contacts/groups", fixture("properties-groups-create-request.json").toString());
        assertThat(again.statusCode()).isEqualTo(409);
        List<String> groups = new ArrayList<>();
        json(client.get("/crm/v3/properties/contacts/groups")).get("results").forEach(g -> groups.add(g.get("name").asText()));
        assertThat(groups).contains("leadbridge", "contactinformation");
    }

    @Test
    void enumerationPropertyCreateReturnsTheFullPropertyThenConflicts() {
        // §6.2
        HttpResponse<String> created = client.post("/crm/v3/properties/contacts", fixture("properties-create-enumeration.json").toString());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode p = json(created);
        for (String field : List.of("name", "label", "type", "fieldType", "groupName", "description", "options", "displayOrder", "hidden",
                "formField", "hasUniqueValue", "hubspotDefined", "calculated", "externalOptions", "createdAt", "updatedAt", "archived",
                "modificationMetadata")) {
            assertThat(p.has(field)).as(field).isTrue();
        }
        assertThat(p.get("hubspotDefined").asBoolean()).isFalse();
        assertThat(p.get("options")).hasSize(4);
        assertThat(p.get("options").get(0).get("value").asText()).isEqualTo("no_budget");
        assertThat(client.get("/crm/v3/properties/contacts/sales_rejection_reason").statusCode()).isEqualTo(200);
        assertThat(emulator.portal().properties()).containsKey("sales_rejection_reason");
        HttpResponse<String> again = client.post("/crm/v3/properties/contacts", fixture("properties-create-enumeration.json").toString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertSameShape(fixture("error-validation.json"), json(again));
    }

    @Test
    void propertyCreateNeedsTheRequiredFieldsAndOptionsForEnumerations() {
        assertThat(client.post("/crm/v3/properties/contacts", "{\"name\":\"x_only\",\"label\":\"X\"}").statusCode()).isEqualTo(400);
        String noOptions = "{\"name\":\"e\",\"label\":\"E\",\"groupName\":\"contactinformation\",\"type\":\"enumeration\",\"fieldType\":\"select\"}";
        assertThat(client.post("/crm/v3/properties/contacts", noOptions).statusCode()).isEqualTo(400);
        String text = "{\"name\":\"leadbridge_note\",\"label\":\"Note\",\"groupName\":\"contactinformation\",\"type\":\"string\",\"fieldType\":\"text\"}";
        assertThat(client.post("/crm/v3/properties/contacts", text).statusCode()).isEqualTo(201);
        assertThat(emulator.journal().counts()).containsEntry("POST hubspot.properties.create", 3L);
    }
}
