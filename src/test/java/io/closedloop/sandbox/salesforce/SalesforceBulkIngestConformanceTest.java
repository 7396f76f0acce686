package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceTestClient.V;
import static io.closedloop.sandbox.salesforce.SalesforceTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk API 2.0 ingest as reference §5 and second-batch-notes §2 describe it. */
class SalesforceBulkIngestConformanceTest {
    private static final String JOB = "{\"object\":\"Marketing_Activity__c\",\"operation\":\"upsert\","
            + "\"externalIdFieldName\":\"Closedloop_Event_Id__c\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}";
    private static final String HEADER = "Closedloop_Event_Id__c,Activity_Type__c,Source__c,Occurred_At__c,Asset_Name__c\n";

    private SalesforceEmulator emulator;
    private SalesforceTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0);
        client = new SalesforceTestClient(emulator).login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void upsertJobGoesOpenUploadCompleteInProgressJobCompletePerSections51To54() {
        JsonNode job = json(client.send("POST", V + "/jobs/ingest", JOB));
        String id = job.get("id").asText();
        assertThat(id).startsWith("750").hasSize(18);
        assertThat(job.get("state").asText()).isEqualTo("Open");
        assertThat(job.get("externalIdFieldName").asText()).isEqualTo("Closedloop_Event_Id__c");
        assertThat(job.get("contentUrl").asText()).isEqualTo("services/data/v62.0/jobs/ingest/" + id + "/batches");

        HttpResponse<String> upload = client.sendText("PUT", V + "/jobs/ingest/" + id + "/batches", "text/csv",
                HEADER + "ev-1,Email Open,HubSpot Email,2026-11-01T10:00:00.000Z,\"Welcome, friend\"\n"
                        + "ev-2,Form Submission,HubSpot Form,2026-11-01T11:00:00.000Z,Demo\n");
        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(emulator.org().all("Marketing_Activity__c")).as("nothing before UploadComplete (§5.3)").isEmpty();

        assertThat(json(client.send("PATCH", V + "/jobs/ingest/" + id, "{\"state\":\"UploadComplete\"}")).get("state").asText())
                .isEqualTo("UploadComplete");
        assertThat(json(client.get(V + "/jobs/ingest/" + id)).get("state").asText()).isEqualTo("InProgress");
        JsonNode done = json(client.get(V + "/jobs/ingest/" + id));
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(2);
        assertThat(done.get("numberRecordsFailed").asInt()).isZero();
        assertThat(emulator.org().all("Marketing_Activity__c")).extracting(r -> r.get("Asset_Name__c"))
                .containsExactlyInAnyOrder("Welcome, friend", "Demo");
    }

    @Test
    void resultsAreCsvWithSfColumnsCorrelatedByExternalIdNotByPositionPerSection55() throws IOException {
        String existing = emulator.org().insert("Marketing_Activity__c", Map.of("Closedloop_Event_Id__c", "ev-old",
                "Activity_Type__c", "Email Open", "Source__c", "HubSpot Email", "Occurred_At__c", "2026-11-01T09:00:00Z"));
        String id = runJob(HEADER + "ev-old,Email Click,HubSpot Email,2026-11-01T09:00:00.000Z,Old\n"
                + "ev-new,Email Open,HubSpot Email,2026-11-01T10:00:00.000Z,New\n"
                + "ev-bad,Not A Type,HubSpot Email,2026-11-01T10:00:00.000Z,Bad\n"
                + ",Email Open,HubSpot Email,2026-11-01T10:00:00.000Z,NoKey\n");

        List<List<String>> ok = csv(client.get(V + "/jobs/ingest/" + id + "/successfulResults/"));
        assertThat(ok.get(0)).containsExactly("sf__Id", "sf__Created", "Closedloop_Event_Id__c", "Activity_Type__c", "Source__c",
                "Occurred_At__c", "Asset_Name__c");
        assertThat(ok.subList(1, ok.size())).extracting(r -> r.get(2)).as("not the upload's order").containsExactly("ev-new", "ev-old");
        assertThat(ok.get(2)).startsWith(existing, "false", "ev-old");
        assertThat(ok.get(1).get(1)).isEqualTo("true");

        List<List<String>> failed = csv(client.get(V + "/jobs/ingest/" + id + "/failedResults/"));
        assertThat(failed.get(0)).startsWith("sf__Id", "sf__Error", "Closedloop_Event_Id__c");
        assertThat(failed.subList(1, failed.size())).extracting(r -> r.get(6)).containsExactly("NoKey", "Bad");
        assertThat(failed.get(2).get(1)).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Activity_Type__c: bad value for"
                + " restricted picklist field: Not A Type:Activity_Type__c --");
        assertThat(failed.get(1).get(1)).startsWith("MISSING_ARGUMENT:Closedloop_Event_Id__c not specified");
        assertThat(csv(client.get(V + "/jobs/ingest/" + id + "/unprocessedrecords/"))).hasSize(1);
        assertThat(emulator.org().get("Marketing_Activity__c", existing)).containsEntry("Activity_Type__c", "Email Click");
    }

    @Test
    void perRowValidationIsTheCollectionsOnePerSection55() {
        String body = "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Marketing_Activity__c\"},"
                + "\"Closedloop_Event_Id__c\":\"c-1\",\"Activity_Type__c\":\"Not A Type\",\"Source__c\":\"HubSpot Email\","
                + "\"Occurred_At__c\":\"2026-11-01T10:00:00.000Z\"}]}";
        JsonNode collections = json(client.send("PATCH", V + "/composite/sobjects/Marketing_Activity__c/Closedloop_Event_Id__c", body))
                .get(0).get("errors").get(0);
        String id = runJob(HEADER + "b-1,Not A Type,HubSpot Email,2026-11-01T10:00:00.000Z,\n");
        String bulkError = csv(client.get(V + "/jobs/ingest/" + id + "/failedResults/")).get(1).get(1);
        assertThat(bulkError).isEqualTo(collections.get("statusCode").asText() + ":" + collections.get("message").asText()
                + ":" + collections.get("fields").get(0).asText() + " --");
    }

    @Test
    void oneUploadPerJobAndAnUnknownColumnFailsTheJobPerSections52And54() {
        String id = json(client.send("POST", V + "/jobs/ingest", JOB)).get("id").asText();
        assertThat(client.sendText("PUT", V + "/jobs/ingest/" + id + "/batches", "text/csv", "Closedloop_Event_Id__c,Nope__c\nx,1\n")
                .statusCode()).isEqualTo(201);
        assertThat(client.sendText("PUT", V + "/jobs/ingest/" + id + "/batches", "text/csv", "Closedloop_Event_Id__c\ny\n")
                .statusCode()).isEqualTo(409);
        client.send("PATCH", V + "/jobs/ingest/" + id, "{\"state\":\"UploadComplete\"}");
        client.get(V + "/jobs/ingest/" + id);
        JsonNode failed = json(client.get(V + "/jobs/ingest/" + id));
        assertThat(failed.get("state").asText()).isEqualTo("Failed");
        assertThat(failed.get("errorMessage").asText()).contains("Nope__c");
        assertThat(emulator.org().all("Marketing_Activity__c")).isEmpty();
    }

    @Test
    void everyCallCountsAgainstTheApiAllocationAndJobsAgainstTheBulkOnesPerNotes2() {
        long before = emulator.org().apiCallsToday();
        String id = runJob(HEADER + "ev-1,Email Open,HubSpot Email,2026-11-01T10:00:00.000Z,A\n");
        client.get(V + "/jobs/ingest/" + id + "/successfulResults/");
        // create, upload, close, two status reads, one results download
        assertThat(emulator.org().apiCallsToday() - before).isEqualTo(6);
        assertThat(json(client.get(V + "/limits")).get("DailyBulkApiBatches").get("Remaining").asLong()).isEqualTo(14_999);

        emulator.bulkAllocation().limits(1_000, 15_000);
        StringBuilder big = new StringBuilder(HEADER);
        for (int i = 0; i < 1_000; i++) {
            big.append("big-").append(i).append(",Email Open,HubSpot Email,2026-11-01T10:00:00.000Z,A\n");
        }
        String over = runJob(big.toString());
        JsonNode job = json(client.get(V + "/jobs/ingest/" + over));
        assertThat(job.get("state").asText()).isEqualTo("Failed");
        assertThat(job.get("errorMessage").asText()).startsWith("ExceededQuota");
        assertThat(csv(client.get(V + "/jobs/ingest/" + over + "/unprocessedrecords/"))).hasSize(1_001);
    }

    private String runJob(String csv) {
        String id = json(client.send("POST", V + "/jobs/ingest", JOB)).get("id").asText();
        assertThat(client.sendText("PUT", V + "/jobs/ingest/" + id + "/batches", "text/csv", csv).statusCode()).isEqualTo(201);
        client.send("PATCH", V + "/jobs/ingest/" + id, "{\"state\":\"UploadComplete\"}");
        client.get(V + "/jobs/ingest/" + id);
        client.get(V + "/jobs/ingest/" + id);
        return id;
    }

    private static List<List<String>> csv(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        try (MappingIterator<List<String>> it = new CsvMapper().enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).with(CsvSchema.emptySchema()).readValues(r.body())) {
            return it.readAll();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
