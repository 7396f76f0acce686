package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.Classification;
import io.closedloop.core.ErrorKind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One row per case of shared/reference/hubspot-api.md §11 and §1.3. */
class HubSpotErrorClassifierTest {
    @ParameterizedTest(name = "{0} {1} -> {2} {3} after {4}s")
    @CsvSource(delimiter = '|', value = {
            // §11.2 documented 429 bodies, by policyName
            "429|{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}|RETRIABLE|TEN_SECONDLY_ROLLING|10",
            "429|{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"SECONDLY\"}|RETRIABLE|SECONDLY|1",
            "429|{\"status\":\"error\",\"message\":\"You have reached your daily limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}|RETRIABLE|DAILY|3600",
            // §11.2 search-style 429: no policyName, only the message
            "429|{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"category\":\"RATE_LIMITS\"}|RETRIABLE|SECONDLY|1",
            "429||RETRIABLE|RATE_LIMIT|10",
            // a daily-limit message without policyName, and a policy the table does not name
            "429|{\"status\":\"error\",\"message\":\"You have reached your daily limit.\"}|RETRIABLE|DAILY|3600",
            "429|{\"status\":\"error\",\"message\":\"limit\",\"policyName\":\"MINUTELY\"}|RETRIABLE|MINUTELY|10",
            // §1.3 authentication and scopes
            "401|{\"status\":\"error\",\"message\":\"Authentication credentials not found.\",\"category\":\"INVALID_AUTHENTICATION\"}|FATAL|INVALID_AUTHENTICATION|0",
            "401|{\"status\":\"error\",\"message\":\"The OAuth token used to make this call expired 5 hour(s) ago.\",\"category\":\"EXPIRED_AUTHENTICATION\"}|FATAL|EXPIRED_AUTHENTICATION|0",
            "403|{\"status\":\"error\",\"message\":\"missing scopes\",\"category\":\"MISSING_SCOPES\"}|FATAL|MISSING_SCOPES|0",
            // §11.3 other statuses
            "400|{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\"}|SKIPPABLE|VALIDATION_ERROR|0",
            "404|{\"status\":\"error\",\"message\":\"Object not found\",\"category\":\"OBJECT_NOT_FOUND\"}|SKIPPABLE|OBJECT_NOT_FOUND|0",
            "409|{\"status\":\"error\",\"message\":\"Property already exists\",\"category\":\"CONFLICT\"}|SKIPPABLE|CONFLICT|0",
            "423||RETRIABLE|LOCKED|2",
            "477||RETRIABLE|MIGRATION_IN_PROGRESS|300",
            "500|{\"status\":\"error\",\"message\":\"internal error\"}|RETRIABLE|SERVER_ERROR|1",
            "502||RETRIABLE|SERVER_ERROR|1",
            "503||RETRIABLE|SERVER_ERROR|1",
            "504||RETRIABLE|SERVER_ERROR|1",
            "524||RETRIABLE|SERVER_ERROR|1",
            "414||SKIPPABLE|VALIDATION_ERROR|0"})
    void classifiesEachDocumentedResponse(int status, String body, ErrorKind kind, String code, long waitSeconds) {
        Classification c = HubSpotErrorClassifier.classify(status, body, null);
        assertThat(c.kind()).isEqualTo(kind);
        assertThat(c.code()).isEqualTo(code);
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(waitSeconds));
    }

    @Test
    void honoursRetryAfterInSecondsOrMilliseconds() {
        assertThat(HubSpotErrorClassifier.classify(429, "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}", "3").retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(HubSpotErrorClassifier.classify(477, "", "90000").retryAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(HubSpotErrorClassifier.classify(503, "", "junk").retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void timeoutsResetsAndMalformedJsonAreRetriable() {
        assertThat(HubSpotErrorClassifier.classify(new SocketTimeoutException("read timed out")))
                .satisfies(c -> assertThat(c.kind()).isEqualTo(ErrorKind.RETRIABLE))
                .satisfies(c -> assertThat(c.code()).isEqualTo("SocketTimeoutException"));
        assertThat(HubSpotErrorClassifier.classify(new IOException("Connection reset")).kind()).isEqualTo(ErrorKind.RETRIABLE);
        IOException malformed = new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected end-of-input");
        assertThat(HubSpotErrorClassifier.classify(malformed).code()).isEqualTo("MALFORMED_RESPONSE");
    }

    @Test
    void dailyLimitIgnoresRetryAfterBecauseItWaitsForTheDailyReset() {
        Classification daily = HubSpotErrorClassifier.classify(429, "{\"policyName\":\"DAILY\"}", "5");
        assertThat(daily.code()).isEqualTo("DAILY");
        assertThat(daily.retryAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyRowOfTheTableIsReachable() {
        // a row shadowed by an earlier one would never decide anything
        assertThat(HubSpotErrorClassifier.TABLE).extracting(HubSpotErrorClassifier.Row::covers).doesNotHaveDuplicates().hasSize(15);
        assertThat(HubSpotErrorClassifier.classify(429, "{\"policyName\":\"SECONDLY\"}", null).code()).isEqualTo("SECONDLY");
        assertThat(HubSpotErrorClassifier.classify(418, "", null).code()).isEqualTo("VALIDATION_ERROR");
    }

    @ParameterizedTest(name = "207 item {0} -> {1}")
    @CsvSource({
            "OBJECT_NOT_FOUND, SKIPPABLE, 0",
            "VALIDATION_ERROR, SKIPPABLE, 0",
            "CONFLICT, SKIPPABLE, 0",
            "RATE_LIMITS, RETRIABLE, 1",
            "LOCKED, RETRIABLE, 2",
            "INTERNAL_ERROR, RETRIABLE, 1",
            "SERVICE_UNAVAILABLE, RETRIABLE, 1",
            "SOMETHING_NEW, SKIPPABLE, 0"})
    void classifiesEachFailedItemOfA207Response(String category, ErrorKind kind, long waitSeconds) throws Exception {
        // the errors[] entry shape of a batch read that found only some ids (§11.3)
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"status\":\"error\",\"category\":\"" + category
                + "\",\"message\":\"Could not get some CONTACT objects\",\"context\":{\"ids\":[\"9\"]}}");
        Classification c = HubSpotErrorClassifier.classifyItem(error);
        assertThat(c.kind()).isEqualTo(kind);
        assertThat(c.code()).isEqualTo(category);
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(waitSeconds));
    }

    @Test
    void eachItemCategoryHasOneRow() {
        assertThat(HubSpotErrorClassifier.ITEM_TABLE).extracting(HubSpotErrorClassifier.ItemRow::category).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("OBJECT_NOT_FOUND", "VALIDATION_ERROR", "CONFLICT", "RATE_LIMITS", "LOCKED", "INTERNAL_ERROR",
                        "SERVICE_UNAVAILABLE");
    }

    @Test
    void failedItemIsParkedWithItsCategoryAndHubSpotsMessage() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Classification c = HubSpotErrorClassifier.classifyItem(mapper.readTree("{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
                + "\"message\":\"Property values were not valid\",\"context\":{\"objectWriteTraceId\":[\"evt-1\"]}}"));
        assertThat(c.message()).isEqualTo("VALIDATION_ERROR: Property values were not valid");
    }

    @Test
    void failedItemWithoutCategoryIsSkippedAsUnknown() throws Exception {
        Classification c = HubSpotErrorClassifier.classifyItem(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"status\":\"error\",\"message\":\"something went wrong\"}"));
        assertThat(c.kind()).isEqualTo(ErrorKind.SKIPPABLE);
        assertThat(c.code()).isEqualTo("UNKNOWN");
        assertThat(c.retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void eachIoRowNamesWhatFailed() {
        assertThat(HubSpotErrorClassifier.classify(new java.net.http.HttpTimeoutException("request timed out")).message()).contains("timeout");
        assertThat(HubSpotErrorClassifier.classify(new java.net.SocketException("Connection reset")).message()).contains("connection reset");
        assertThat(HubSpotErrorClassifier.classify(new java.net.ConnectException("Connection refused")).message()).contains("connection reset or refused");
        assertThat(HubSpotErrorClassifier.classify(new com.fasterxml.jackson.core.JsonParseException(null, "x")).message()).contains("malformed JSON");
        assertThat(HubSpotErrorClassifier.classify(new java.io.EOFException("eof")).message()).contains("other I/O");
    }
}
