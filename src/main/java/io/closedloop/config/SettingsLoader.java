package io.closedloop.config;

import static io.closedloop.config.SettingKey.*;

import io.closedloop.core.ApiCircuitBreaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads settings from the properties file, then the environment, then {@code NAME_FILE} secrets
 * (each source overrides the one before), and validates them all at once so that every problem
 * is reported in one go. Problem lines name the key and never contain a secret value.
 */
public final class SettingsLoader {
    public static final Path DEFAULT_CONFIG_FILE = Path.of("config", "application.properties");
    static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/closedloop;DB_CLOSE_ON_EXIT=FALSE";

    private static final Pattern API_VERSION = Pattern.compile("\\d{2,3}\\.0");

    private static final Logger LOG = LoggerFactory.getLogger(SettingsLoader.class);

    private final SettingProblems problems;
    private final SettingSources sources;
    private final SettingValues values;

    private SettingsLoader(Map<String, String> env, Consumer<String> warnings) {
        this.problems = new SettingProblems(warnings);
        this.sources = new SettingSources(env, problems);
        this.values = new SettingValues(sources, problems);
    }

    /**
     * @param configFile the file given with {@code --config}, or null for the default
     *                   {@code config/application.properties}, which may be absent
     */
    public static ClosedloopSettings load(Path configFile, Map<String, String> env) {
        return load(configFile, env, SettingsLoader::logWarning);
    }

    /** As {@link #load(Path, Map)}, handing each warning ({@code KEY: message}) to {@code warnings} instead of the log. */
    public static ClosedloopSettings load(Path configFile, Map<String, String> env, Consumer<String> warnings) {
        return new SettingsLoader(env, warnings).build(configFile, true);
    }

    /** Settings from the environment map alone (the sandbox builds its own, like a deployment's env). */
    public static ClosedloopSettings loadEnvironmentOnly(Map<String, String> env) {
        return new SettingsLoader(env, SettingsLoader::logWarning).build(null, false);
    }

    private static void logWarning(String warning) {
        LOG.warn(warning);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601 ({@code PT30S}); null if neither. */
    public static Duration parseDuration(String value) {
        return Durations.parse(value);
    }

    /** Parses a start such as {@code 7d}, {@code PT1H}, {@code 2026-11-01} (UTC) or {@code 2026-11-01T08:00:00Z}; null if none. */
    public static io.closedloop.core.StartFrom parseStartFrom(String value) {
        return StartFromSetting.parse(value);
    }

    private ClosedloopSettings build(Path explicitConfig, boolean useFile) {
        Path configFile = explicitConfig != null ? explicitConfig : DEFAULT_CONFIG_FILE;
        if (useFile) {
            sources.readFile(configFile, explicitConfig != null);
        }
        MappingSettings mappings = new MappingSettings(values, problems);

        boolean allowInsecureHttp = "true".equals(values.oneOf(CLOSEDLOOP_ALLOW_INSECURE_HTTP, "false", "true"));
        var hubspotBaseUrl = values.httpUrl(HUBSPOT_BASE_URL, allowInsecureHttp);
        var hubspotToken = values.token(HUBSPOT_ACCESS_TOKEN, "HubSpot private app access token");
        var listIds = values.listIds(HUBSPOT_LIST_IDS);
        var loginUrl = values.httpUrl(SALESFORCE_LOGIN_URL, allowInsecureHttp);
        var auth = new SalesforceAuthLoader(sources, problems).load();
        var apiVersion = values.matching(SALESFORCE_API_VERSION, API_VERSION, "an API version such as 62.0");
        var dbUrl = values.dbUrl(CLOSEDLOOP_DB_URL);
        var dbUser = values.raw(CLOSEDLOOP_DB_USER);
        var dbPassword = values.secret(CLOSEDLOOP_DB_PASSWORD);
        var httpPort = values.intInRange(CLOSEDLOOP_HTTP_PORT, 1, 65535, 0, "a port number from 1 to 65535");
        var httpHost = values.bindAddress(CLOSEDLOOP_HTTP_HOST);
        var opsToken = values.optionalToken(CLOSEDLOOP_OPS_TOKEN, 16);
        var pollInterval = values.duration(CLOSEDLOOP_POLL_INTERVAL, Duration.ofMillis(100),
                "a duration of at least 100ms such as 30s, 5m or PT1M");
        var logFormat = values.logFormat(LOG_FORMAT);
        var prefer = values.oneOf(CLOSEDLOOP_IDENTITY_PREFER, "contact", "lead");
        var duplicates = values.oneOf(CLOSEDLOOP_DUPLICATE_POLICY, "most-recently-modified", "oldest", "park");
        var fieldMapping = mappings.file(CLOSEDLOOP_FIELD_MAPPING_FILE, FieldMapping::load, FieldMapping::defaults);
        var keyMoments = mappings.keyMoments();
        var dispositionRules = mappings.file(CLOSEDLOOP_DISPOSITION_FILE, DispositionRules::load, DispositionRules::defaults);
        var unmatchedMql = values.oneOf(CLOSEDLOOP_UNMATCHED_MQL, "park", "create-lead");
        var parkedRetention = values.duration(CLOSEDLOOP_PARKED_RETENTION, Duration.ofHours(1),
                "a duration of at least 1h such as 30d, 12h or P30D");
        // HubSpot's burst limit is at most 250 per 10 s (with the API pack): more cannot help
        var burst = values.intInRange(HUBSPOT_BURST_PER_10S, 1, 250, 100,
                "a number of calls from 1 to 250 (HubSpot's burst limit per 10 s)");
        var hubspotDaily = values.dailyBudget(HUBSPOT_DAILY_BUDGET);
        var salesforceShare = values.percentage(SALESFORCE_DAILY_SHARE);
        var bulkThreshold = values.intInRange(SALESFORCE_BULK_THRESHOLD, 1, 100_000_000, 2000, "a number of activities from 1 to 100000000");
        var liveBulkThreshold = values.intInRange(SALESFORCE_LIVE_BULK_THRESHOLD, 1, 100_000_000, 10_000,
                "a number of activities from 1 to 100000000");
        var salesforceConcurrency = values.intInRange(SALESFORCE_CONCURRENCY, 1, 25, 4, "a number of calls from 1 to 25");
        var salesforceTimeout = values.duration(SALESFORCE_TIMEOUT, Duration.ofSeconds(10), "a duration of at least 10s such as 120s or PT2M");
        var pollChunk = values.intInRange(CLOSEDLOOP_POLL_CHUNK, 100, 1_000_000, 10_000, "a number of events from 100 to 1000000");
        var retry = retryPolicy();
        var circuitBreaker = circuitBreaker();
        var unmatchedRetryInterval = values.duration(CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL, Duration.ofSeconds(1),
                "a duration of at least 1s such as 15m, 1h or PT15M");
        var maxBackoff = values.duration(CLOSEDLOOP_UNMATCHED_RETRY_MAX_BACKOFF,
                unmatchedRetryInterval == null ? Duration.ofSeconds(1) : unmatchedRetryInterval,
                "a duration no shorter than " + CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL.env() + " such as 1d, 12h or P1D");
        var startFrom = new StartFromSetting(sources, values, problems).load();
        var identityCache = values.duration(CLOSEDLOOP_IDENTITY_CACHE, Duration.ZERO,
                "a duration such as 15m, 1h or PT15M, or 0s for no cache");
        var sweepPeriod = values.duration(CLOSEDLOOP_SWEEP_PERIOD, Duration.ofSeconds(1), "a duration of at least 1s such as 10m, 1h or PT10M");
        var sweepDepth = sweepDepth(sweepPeriod, pollInterval);
        var clockSkewLimit = values.duration(CLOSEDLOOP_CLOCK_SKEW_LIMIT, Duration.ofSeconds(1),
                "a duration of at least 1s such as 2m, 30s or PT2M");
        var contactWait = values.duration(CLOSEDLOOP_CONTACT_WAIT, Duration.ZERO, "a duration such as 7d, 12h, 0s or P7D");
        var formFullRead = values.duration(HUBSPOT_FORM_FULL_READ_INTERVAL, Duration.ZERO,
                "a duration such as 1h, 6h or PT1H, or 0s to read every form at every poll");

        var campaignSync = campaignSync(mappings);
        var summaryInterval = values.duration(CLOSEDLOOP_SUMMARY_INTERVAL, Duration.ZERO, "a duration such as 30s, 1m or PT30S, or 0s to write after every poll");
        var leaderLease = values.duration(CLOSEDLOOP_LEADER_LEASE, Duration.ofSeconds(2), "a duration of at least 2s such as 10s or PT10S");

        problems.throwIfAny();
        return new ClosedloopSettings(hubspotBaseUrl, hubspotToken, loginUrl, auth, apiVersion, dbUrl, dbUser,
                dbPassword, httpPort, pollInterval, logFormat,
                useFile && Files.isRegularFile(configFile) ? configFile : null, !"lead".equals(prefer),
                ClosedloopSettings.DuplicatePolicy.valueOf(duplicates.toUpperCase(Locale.ROOT).replace('-', '_')), fieldMapping,
                keyMoments, "create-lead".equals(unmatchedMql), listIds, dispositionRules, parkedRetention, burst, hubspotDaily,
                salesforceShare, bulkThreshold, liveBulkThreshold, salesforceConcurrency, salesforceTimeout, pollChunk, retry, circuitBreaker, unmatchedRetryInterval, maxBackoff, startFrom, identityCache,
                sweepPeriod, sweepDepth, clockSkewLimit, contactWait, formFullRead, httpHost, opsToken, leaderLease, campaignSync, summaryInterval);
    }

    /** The lists synced into Campaigns, the leavers policy and the notes file (read only when some list is synced). */
    private CampaignSync campaignSync(MappingSettings mappings) {
        List<String> lists = new ArrayList<>();
        boolean allEmails = false;
        for (String token : values.commaSeparated(CLOSEDLOOP_CAMPAIGN_SYNC)) {
            if (token.equals(CampaignSync.ALL_EMAIL_CAMPAIGNS)) {
                allEmails = true;
            } else if (!token.matches("\\d{1,19}")) {
                problems.add(CLOSEDLOOP_CAMPAIGN_SYNC, "expected comma-separated numeric HubSpot list ids and/or "
                        + CampaignSync.ALL_EMAIL_CAMPAIGNS + ", got \"" + token + "\"");
            } else if (!lists.contains(token)) {
                lists.add(token);
            }
        }
        var leavers = values.oneOf(CLOSEDLOOP_CAMPAIGN_LEAVERS, "status", "remove");
        var notes = lists.isEmpty() && !allEmails ? java.util.Map.<String, CampaignSync.Notes>of()
                : mappings.file(CLOSEDLOOP_CAMPAIGN_NOTES_FILE, CampaignSync::loadNotes, java.util.Map::<String, CampaignSync.Notes>of);
        return new CampaignSync(lists, allEmails, "remove".equals(leavers) ? CampaignSync.Leavers.REMOVE : CampaignSync.Leavers.STATUS, notes);
    }

    /** A sweep starts at the first poll after its period: shallower than period plus poll interval, it would leave gaps. */
    private Duration sweepDepth(Duration period, Duration pollInterval) {
        Duration gap = period == null || pollInterval == null ? Duration.ZERO : period.plus(pollInterval);
        return values.duration(CLOSEDLOOP_SWEEP_DEPTH, gap.plusMillis(1), "a duration longer than " + CLOSEDLOOP_SWEEP_PERIOD.env()
                + " plus " + CLOSEDLOOP_POLL_INTERVAL.env() + " (" + gap.toSeconds() + " s) such as 30m or PT30M");
    }

    /** Bounded, never infinite: the maximum delay may not be shorter than the first. */
    private RetryPolicy retryPolicy() {
        int max = values.intInRange(CLOSEDLOOP_RETRY_MAX_REDELIVERIES, 0, 100, 0, "a number of redeliveries from 0 to 100");
        Duration initial = values.duration(CLOSEDLOOP_RETRY_INITIAL_DELAY, Duration.ofMillis(1),
                "a duration of at least 1ms such as 500ms, 1s or PT1S");
        Duration maxDelay = values.duration(CLOSEDLOOP_RETRY_MAX_DELAY, initial == null ? Duration.ofMillis(1) : initial,
                "a duration no shorter than " + CLOSEDLOOP_RETRY_INITIAL_DELAY.env() + " such as 60s, 5m or PT1M");
        return new RetryPolicy(max, initial, maxDelay);
    }

    private ApiCircuitBreaker.Settings circuitBreaker() {
        int failures = values.intInRange(CLOSEDLOOP_CIRCUIT_BREAKER_FAILURES, 1, 1000, 5, "a number of failed calls from 1 to 1000");
        Duration open = values.duration(CLOSEDLOOP_CIRCUIT_BREAKER_OPEN, Duration.ofSeconds(1),
                "a duration of at least 1s such as 60s, 5m or PT1M");
        return new ApiCircuitBreaker.Settings(failures, open);
    }
}
