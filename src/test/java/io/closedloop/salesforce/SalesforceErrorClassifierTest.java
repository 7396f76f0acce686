package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.core.SkippableSyncException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per code of shared/reference/salesforce-api.md §6.3 and §1.4. */
class SalesforceErrorClassifierTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "UNABLE_TO_LOCK_ROW, RETRIABLE",
            "REQUEST_LIMIT_EXCEEDED, RETRIABLE",
            "SERVER_UNAVAILABLE, RETRIABLE",
            "ALL_OR_NONE_OPERATION_ROLLED_BACK, RETRIABLE",
            "PROCESSING_HALTED, RETRIABLE",
            "INVALID_SESSION_ID, FATAL",
            "INVALID_FIELD, FATAL",
            "MALFORMED_QUERY, FATAL",
            "INVALID_TYPE, FATAL",
            "invalid_grant, FATAL",
            "invalid_client_id, FATAL",
            "invalid_client, FATAL",
            "STRING_TOO_LONG, SKIPPABLE",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, SKIPPABLE",
            "REQUIRED_FIELD_MISSING, SKIPPABLE",
            "DUPLICATE_VALUE, SKIPPABLE",
            "DUPLICATES_DETECTED, SKIPPABLE",
            "FIELD_CUSTOM_VALIDATION_EXCEPTION, SKIPPABLE",
            "CANNOT_UPDATE_CONVERTED_LEAD, SKIPPABLE",
            "ENTITY_IS_DELETED, SKIPPABLE",
            "MALFORMED_ID, SKIPPABLE",
            "INVALID_CROSS_REFERENCE_KEY, SKIPPABLE",
            "UNKNOWN_EXCEPTION, RETRIABLE",
            "INSUFFICIENT_ACCESS, FATAL",
            "API_DISABLED_FOR_ORG, FATAL",
            "unsupported_grant_type, FATAL",
            "INVALID_EMAIL_ADDRESS, SKIPPABLE",
            "INVALID_FIELD_FOR_INSERT_UPDATE, SKIPPABLE",
            "SOME_FUTURE_CODE, SKIPPABLE"})
    void classifiesEachPerRecordCode(String code, ErrorKind kind) {
        assertThat(SalesforceErrorClassifier.classifyCode(code, "m").kind()).isEqualTo(kind);
    }

    @Test
    void aFieldWithoutEditPermissionParksWithAReasonNamingTheFieldAndThePermissionSet() {
        // observed body (verbb/formie#1981)
        var refused = SalesforceErrorClassifier.classify(400, "[{\"message\":\"Unable to create/update fields: IsClosedOnCreate. Please"
                + " check the security settings of this field and verify that it is read/write for your profile or permission set.\","
                + "\"errorCode\":\"INVALID_FIELD_FOR_INSERT_UPDATE\",\"fields\":[\"IsClosedOnCreate\"]}]");
        assertThat(refused.kind()).isEqualTo(ErrorKind.SKIPPABLE);
        assertThat(refused.message()).contains("INVALID_FIELD_FOR_INSERT_UPDATE", "IsClosedOnCreate", "permission set");
    }

    @Test
    void topLevelErrorArraysAreClassifiedByTheirFirstCode() {
        // §6.3 shape: [{"message": ..., "errorCode": ...}]
        var limit = SalesforceErrorClassifier.classify(403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        assertThat(limit.kind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(limit.retryAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(limit.toException()).isInstanceOf(RetriableSyncException.class);
        var session = SalesforceErrorClassifier.classify(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
        assertThat(session.toException()).isInstanceOf(FatalSyncException.class).hasMessageContaining("Session expired or invalid");
        // §1.4 OAuth errors
        var oauth = SalesforceErrorClassifier.classify(400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
        assertThat(oauth.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(oauth.message()).contains("authentication failure");
    }

    @Test
    void statusAloneDecidesWhenTheBodyHasNoCode() {
        assertThat(SalesforceErrorClassifier.classify(503, "<html>down</html>").kind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(SalesforceErrorClassifier.classify(500, "").kind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(SalesforceErrorClassifier.classify(401, "").kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(SalesforceErrorClassifier.classify(400, "{}").toException()).isInstanceOf(SkippableSyncException.class);
        assertThat(SalesforceErrorClassifier.classify(new IOException("Connection reset")).kind()).isEqualTo(ErrorKind.RETRIABLE);
    }

    @Test
    void everyCodeOfTheTableHasOneRow() {
        assertThat(SalesforceErrorClassifier.TABLE).extracting(SalesforceErrorClassifier.Row::code).doesNotHaveDuplicates()
                .contains("INVALID_SESSION_ID", "REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "INVALID_FIELD", "STRING_TOO_LONG",
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "DUPLICATE_VALUE");
    }

    @Test
    void invalidSessionIsFatalAfterCamelsOneReloginAndStopsFurtherCalls() {
        var session = SalesforceErrorClassifier.classifyCode("INVALID_SESSION_ID", "Session expired or invalid");
        assertThat(SalesforceErrorClassifier.handling("INVALID_SESSION_ID")).isEqualTo(SalesforceErrorClassifier.Handling.RELOGIN_ONCE_THEN_FATAL);
        assertThat(SalesforceErrorClassifier.isAuthFailure(session)).isTrue();
        assertThat(SalesforceErrorClassifier.isAuthFailure(SalesforceErrorClassifier.classifyCode("INVALID_FIELD", "m"))).isFalse();
    }

    @Test
    void requestLimitExceededPausesRatherThanRetries() {
        assertThat(SalesforceErrorClassifier.handling("REQUEST_LIMIT_EXCEEDED"))
                .isEqualTo(SalesforceErrorClassifier.Handling.PAUSE_UNTIL_ALLOCATION_RECOVERS);
        assertThat(SalesforceErrorClassifier.handling("UNABLE_TO_LOCK_ROW")).isEqualTo(SalesforceErrorClassifier.Handling.STANDARD);
        assertThat(SalesforceErrorClassifier.classifyCode("UNABLE_TO_LOCK_ROW", "m").retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "HTTP {0} without a code -> {1}")
    @CsvSource({"500, RETRIABLE", "503, RETRIABLE", "420, RETRIABLE", "401, FATAL", "403, FATAL", "400, SKIPPABLE", "404, SKIPPABLE"})
    void bodiesWithoutACodeAreSortedByStatus(int status, ErrorKind kind) {
        assertThat(SalesforceErrorClassifier.classify(status, "").kind()).isEqualTo(kind);
    }

    @Test
    void perRecordCollectionResultsAreClassifiedOneByOne() throws Exception {
        // §3.3 upsert results with allOrNone=false: one entry per record, each with its own errors
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                [{"success":true,"id":"a00000000000001AAA","errors":[]},
                 {"success":false,"errors":[{"statusCode":"STRING_TOO_LONG","message":"Subject: data value too large","fields":["Subject"]}]},
                 {"success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access","fields":[]}]}]""");
        var kinds = new java.util.ArrayList<ErrorKind>();
        results.forEach(r -> r.path("errors").forEach(e -> kinds.add(
                SalesforceErrorClassifier.classifyCode(e.path("statusCode").asText(), e.path("message").asText()).kind())));
        assertThat(kinds).containsExactly(ErrorKind.SKIPPABLE, ErrorKind.RETRIABLE);
    }

    @Test
    void aFailedLoginIsFatalAndStopsTheClient() {
        // camel-salesforce raises the OAuth error (§1.4) in the exception's message, with no REST error list
        var failure = new org.apache.camel.RuntimeCamelException(new org.apache.camel.component.salesforce.api.SalesforceException(
                "Login error code:[invalid_client] description:[invalid client credentials]", 0));
        var c = SalesforceErrorClassifier.classify(failure);
        assertThat(c.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(c.code()).isEqualTo("invalid_client");
        assertThat(SalesforceErrorClassifier.isAuthFailure(c)).isTrue();
    }

    @Test
    void restErrorsOfAFailedCallAreClassifiedByTheirFirstCode() {
        var error = new org.apache.camel.component.salesforce.api.dto.RestError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        var c = SalesforceErrorClassifier.classify(new org.apache.camel.component.salesforce.api.SalesforceException(
                java.util.List.of(error), 403));
        assertThat(c.code()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(c.kind()).isEqualTo(ErrorKind.RETRIABLE);
    }

    @Test
    void anIoFailureBeneathIsRetriableAndAnUnknownFailureToo() {
        assertThat(SalesforceErrorClassifier.classify(new IllegalStateException("wrapped", new java.net.SocketTimeoutException("read")))
                .code()).isEqualTo("SocketTimeoutException");
        var unknown = SalesforceErrorClassifier.classify(new IllegalStateException("odd"));
        assertThat(unknown.kind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(unknown.code()).isEqualTo("IllegalStateException");
    }

    @Test
    void aMissingCompositeSubresponseIsRetriable() {
        var c = SalesforceErrorClassifier.missingSubresponse("subrequest q3");
        assertThat(c.kind()).isEqualTo(ErrorKind.RETRIABLE);
        assertThat(c.message()).isEqualTo("Salesforce returned no result for subrequest q3");
    }

    @ParameterizedTest(name = "a record refused with {0} is parked {1}")
    @CsvSource({
            "UNABLE_TO_LOCK_ROW, RETRIABLE",
            "ENTITY_IS_DELETED, RETRIABLE",
            "INVALID_CROSS_REFERENCE_KEY, RETRIABLE",
            "CANNOT_UPDATE_CONVERTED_LEAD, RETRIABLE",
            "SERVER_UNAVAILABLE, SKIPPABLE",
            "STRING_TOO_LONG, SKIPPABLE",
            "UNMATCHED, SKIPPABLE",
            "INVALID_EMAIL, SKIPPABLE",
            "DUPLICATE_EMAIL, SKIPPABLE"})
    void rowLocksAndStaleTargetsAreParkedForTheRetryRoute(String code, ErrorKind kind) {
        assertThat(SalesforceErrorClassifier.parkedKind(code)).isEqualTo(kind);
    }

    @Test
    void onlyDeletedOrConvertedTargetsAreStale() {
        assertThat(SalesforceErrorClassifier.isStaleTarget("ENTITY_IS_DELETED")).isTrue();
        assertThat(SalesforceErrorClassifier.isStaleTarget("INVALID_CROSS_REFERENCE_KEY")).isTrue();
        assertThat(SalesforceErrorClassifier.isStaleTarget("CANNOT_UPDATE_CONVERTED_LEAD")).isTrue();
        assertThat(SalesforceErrorClassifier.isStaleTarget("UNABLE_TO_LOCK_ROW")).isFalse();
        assertThat(SalesforceErrorClassifier.isStaleTarget("STRING_TOO_LONG")).isFalse();
    }
}
