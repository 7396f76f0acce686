package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.sync.Classification;
import io.closedloop.sync.ErrorKind;
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
}
