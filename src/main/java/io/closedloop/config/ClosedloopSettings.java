package io.closedloop.config;

import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.StartFrom;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** All settings, parsed and validated once at startup. Secrets print as {@code ****}. */
public record ClosedloopSettings(
        URI hubspotBaseUrl,
        Secret hubspotAccessToken,
        URI salesforceLoginUrl,
        SalesforceAuth salesforceAuth,
        String salesforceApiVersion,
        String dbUrl,
        String dbUser,
        Secret dbPassword,
        int httpPort,
        Duration pollInterval,
        LogFormat logFormat,
        Path configFile,
        boolean preferContact,
        DuplicatePolicy duplicatePolicy,
        FieldMapping fieldMapping,
        KeyMoments keyMoments,
        boolean createLeadsForUnmatchedMqls,
        List<String> hubspotListIds,
        DispositionRules dispositionRules,
        Duration parkedRetention,
        int hubspotBurstPer10s,
        DailyBudget hubspotDailyBudget,
        int salesforceDailyShare,
        int salesforceBulkThreshold,
        int salesforceLiveBulkThreshold,
        int salesforceConcurrency,
        Duration salesforceTimeout,
        int pollChunk,
        RetryPolicy retry,
        ApiCircuitBreaker.Settings circuitBreaker,
        Duration unmatchedRetryInterval,
        Duration unmatchedRetryMaxBackoff,
        StartFrom startFrom,
        Duration identityCache,
        Duration sweepPeriod,
        Duration sweepDepth,
        Duration clockSkewLimit,
        Duration contactWait,
        Duration hubspotFormFullRead,
        String httpHost,
        Secret opsToken,
        Duration leaderLease,
        CampaignSync campaignSync,
        Duration summaryInterval) {

    public ClosedloopSettings {
        hubspotListIds = hubspotListIds == null ? List.of() : List.copyOf(hubspotListIds);
        campaignSync = campaignSync == null ? CampaignSync.off() : campaignSync;
    }

    /** Whether replay, parked record details and attribution can be unlocked at all (a token is configured). */
    public boolean opsTokenSet() {
        return !opsToken.reveal().isEmpty();
    }

    public enum LogFormat { PLAIN, JSON }

    /** When several records of one kind share an email. */
    public enum DuplicatePolicy { MOST_RECENTLY_MODIFIED, OLDEST, PARK }

    /** Every secret value, so the log redaction layer can mask them wherever they appear. */
    public List<String> secretValues() {
        var values = new java.util.ArrayList<String>();
        values.add(hubspotAccessToken.reveal());
        values.add(dbPassword.reveal());
        values.add(opsToken.reveal());
        if (salesforceAuth instanceof SalesforceAuth.ClientCredentials cc) {
            values.add(cc.clientSecret().reveal());
        }
        values.removeIf(v -> v == null || v.length() < 4);
        return values;
    }
}
