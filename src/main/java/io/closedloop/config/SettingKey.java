package io.closedloop.config;

import java.util.Locale;

/**
 * Every setting Closedloop reads: its public environment name, the matching key in
 * {@code config/application.properties}, its default and what it means. The README table mirrors this.
 */
public enum SettingKey {
    HUBSPOT_BASE_URL("https://api.hubapi.com", false, "HubSpot API base URL"),
    HUBSPOT_ACCESS_TOKEN(null, true, "HubSpot private app access token"),
    HUBSPOT_LIST_IDS("", false, "Comma-separated HubSpot list (ILS) ids whose joins and leaves are synced; empty: none"),
    HUBSPOT_BURST_PER_10S("100", false,
            "HubSpot calls Closedloop makes in any rolling 10 seconds (100 is the Free/Starter app limit)"),
    HUBSPOT_DAILY_BUDGET("50%", false,
            "HubSpot calls per day, as a number or a percentage of the account's daily allowance; at the budget, HubSpot flows pause until midnight"),
    HUBSPOT_FORM_FULL_READ_INTERVAL("1h", false,
            "How often every form's submissions are read; between full reads only the forms contacts converted on are (0s: every form at every poll)"),
    SALESFORCE_LOGIN_URL("https://login.salesforce.com", false,
            "Salesforce login host (My Domain URL for the client-credentials flow)"),
    SALESFORCE_CLIENT_ID(null, false, "Consumer key of the Salesforce connected app"),
    SALESFORCE_CLIENT_SECRET(null, true, "Consumer secret, for the client-credentials flow"),
    SALESFORCE_USERNAME(null, false, "Salesforce user to act as, for the JWT bearer flow"),
    SALESFORCE_JWT_KEY_FILE(null, false, "PEM (PKCS#8) RSA private key file, for the JWT bearer flow"),
    SALESFORCE_API_VERSION("62.0", false, "Salesforce REST API version"),
    SALESFORCE_DAILY_SHARE("50%", false,
            "Share of the org's daily API allocation Closedloop may reach (org-wide usage, from Sforce-Limit-Info); at the share, Salesforce flows pause"),
    SALESFORCE_BULK_THRESHOLD("2000", false,
            "In a backfill, more activities than this in one write go to Salesforce through Bulk API 2.0 jobs, fewer through Composite calls"),
    SALESFORCE_LIVE_BULK_THRESHOLD("10000", false,
            "In the live flow, more activities than this in one write go through Bulk API 2.0 jobs, fewer through Composite calls "
                    + "(a Bulk job waits for Salesforce to process it, which adds seconds to every event it carries)"),
    SALESFORCE_CONCURRENCY("4", false,
            "Composite calls Closedloop has in flight to Salesforce at once, 1 to 25 (a write of 10,000 activities is 10 calls; "
                    + "Salesforce limits only requests running 20 s or longer: 25 at once in production orgs and sandboxes, 5 in "
                    + "Developer Edition and trial orgs)"),
    SALESFORCE_TIMEOUT("120s", false,
            "How long Closedloop waits for a Salesforce answer before the call counts as failed and is retried, at least 10s "
                    + "(Salesforce lets a request run for minutes; a Composite call of 1,000 records in an org with triggers and flows "
                    + "can take 20 s or more)"),
    CLOSEDLOOP_POLL_CHUNK("10000", false,
            "Most events one poll reads and writes before its cursor moves; a longer window (after downtime) is read in several chunks"),
    CLOSEDLOOP_ALLOW_INSECURE_HTTP("false", false,
            "Allow plain http:// HubSpot and Salesforce URLs to hosts other than this machine (test setups only)"),
    CLOSEDLOOP_DB_URL(SettingsLoader.DEFAULT_DB_URL, false, "JDBC URL of the state store (H2 or PostgreSQL)"),
    CLOSEDLOOP_DB_USER("sa", false, "State store user"),
    CLOSEDLOOP_DB_PASSWORD("", true, "State store password"),
    CLOSEDLOOP_HTTP_PORT("8080", false, "Port of the ops HTTP server (status page, /observe/health, /observe/metrics)"),
    CLOSEDLOOP_HTTP_HOST("127.0.0.1", false,
            "Address the ops HTTP server binds to: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface; the Docker image sets it)"),
    CLOSEDLOOP_OPS_TOKEN("", true,
            "Bearer token (at least 16 characters) for replay, parked record details and attribution; unset: the status page is read-only with counts only"),
    CLOSEDLOOP_POLL_INTERVAL("30s", false, "How often each source is polled (e.g. 30s, 5m, PT1M)"),
    LOG_FORMAT("plain", false, "Log format: plain or json"),
    CLOSEDLOOP_IDENTITY_PREFER("contact", false, "When an email matches both a Contact and a Lead, which wins: contact or lead"),
    CLOSEDLOOP_DUPLICATE_POLICY("most-recently-modified", false,
            "When several records of one kind share an email: most-recently-modified, oldest, or park"),
    CLOSEDLOOP_FIELD_MAPPING_FILE("config/salesforce-fields.properties", false,
            "Which Salesforce summary fields are written and their overwrite rule"),
    CLOSEDLOOP_KEY_MOMENTS("", false,
            "Activity types that also become a Salesforce Task, e.g. form-submission,became-mql,page-visit (empty: none)"),
    CLOSEDLOOP_KEY_MOMENT_PAGES("/pricing,/demo", false,
            "Page paths whose visits count as key moments when page-visit is among CLOSEDLOOP_KEY_MOMENTS"),
    CLOSEDLOOP_DISPOSITION_FILE("config/dispositions.properties", false,
            "Sales-feedback rules: Lead Status to disposition, HubSpot lead status and lifecycle, MQL definition, SLA"),
    CLOSEDLOOP_UNMATCHED_MQL("park", false,
            "An MQL with no Salesforce Lead or Contact: park (retried until one exists) or create-lead"),
    CLOSEDLOOP_PARKED_RETENTION("30d", false,
            "How long parked records are kept after a source or a replay last parked them; automatic retries do not extend it (e.g. 30d, 12h, P30D); resolved ones go at the next daily run"),
    CLOSEDLOOP_RETRY_MAX_REDELIVERIES("5", false,
            "Redeliveries of a retriable failure, 0 to 100, before the record is parked or the poll fails"),
    CLOSEDLOOP_RETRY_INITIAL_DELAY("1s", false, "Delay before the first redelivery; it doubles at each one"),
    CLOSEDLOOP_RETRY_MAX_DELAY("60s", false, "Longest delay between two redeliveries"),
    CLOSEDLOOP_CIRCUIT_BREAKER_FAILURES("5", false, "Failed calls to an API, 1 to 1000, that open its circuit breaker"),
    CLOSEDLOOP_CIRCUIT_BREAKER_OPEN("60s", false, "How long an open circuit makes no calls before one trial call"),
    CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL("15m", false,
            "How often the retry of parked unmatched and retriable engagement (and of dispositions awaiting their HubSpot contact) runs; also a record's first backoff, which doubles at each failed attempt"),
    CLOSEDLOOP_UNMATCHED_RETRY_MAX_BACKOFF("1d", false,
            "Longest wait between two automatic attempts of one parked record (no shorter than CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL)"),
    CLOSEDLOOP_START_FROM("1h", false,
            "Where every source starts at its very first poll, before it has a cursor: a duration back (1h, 7d) or an ISO date-time (2026-11-01T00:00:00Z); older history is for closedloop backfill"),
    CLOSEDLOOP_INITIAL_LOOKBACK(null, false, "Deprecated alias of CLOSEDLOOP_START_FROM (a duration); set one of the two, not both"),
    CLOSEDLOOP_SUMMARY_INTERVAL("30s", false,
            "Least time between two writes of the queued summary fields: polls within it leave theirs queued until it ends, so a record active at every poll gets one summary write per interval (0s: after every poll)"),
    CLOSEDLOOP_IDENTITY_CACHE("15m", false,
            "How long an email's resolution to a Lead or Contact is reused before Salesforce is asked again (0s: never)"),
    CLOSEDLOOP_SWEEP_PERIOD("10m", false,
            "How often the time-windowed HubSpot sources (email events, form submissions) re-read the recent past for late-indexed records"),
    CLOSEDLOOP_SWEEP_DEPTH("30m", false,
            "How far back each sweep re-reads; more than CLOSEDLOOP_SWEEP_PERIOD plus CLOSEDLOOP_POLL_INTERVAL, the difference being the lateness caught"),
    CLOSEDLOOP_CLOCK_SKEW_LIMIT("2m", false,
            "Largest offset between an API's clock (its Date header) and this host's; above it the time-windowed sources pause"),
    CLOSEDLOOP_CONTACT_WAIT("7d", false,
            "How long a sales disposition whose email has no HubSpot contact yet is tried again before it is parked as NOT_IN_HUBSPOT"),
    CLOSEDLOOP_CAMPAIGN_SYNC("", false,
            "Comma-separated HubSpot list (ILS) ids whose members become Salesforce CampaignMembers of one Campaign per list, and/or all-email-campaigns (one Campaign per marketing email with its recipients); member status follows engagement (empty: off)"),
    CLOSEDLOOP_CAMPAIGN_LEAVERS("status", false,
            "A member who leaves a synced list: status (the CampaignMember gets the status Left List) or remove (the CampaignMember is deleted)"),
    CLOSEDLOOP_CAMPAIGN_NOTES_FILE("config/campaigns.properties", false,
            "Offer, link, talking points and Campaign Type per synced list or email (list.<id>.offer, email.<campaign id>.offer, .link, .talking-points, .type), written into the Campaign Description for sales"),
    CLOSEDLOOP_LEADER_LEASE("10s", false,
            "PostgreSQL replicas: how long a leader that cannot reach the database keeps polling before it stops; a standby takes over within about twice this");

    private final String defaultValue;
    private final boolean secret;
    private final String description;

    SettingKey(String defaultValue, boolean secret, String description) {
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
    }

    /** The environment variable name, which is the public contract. */
    public String env() {
        return name();
    }

    /** The environment variable that names a file holding the secret (Docker and Kubernetes secrets). */
    public String fileEnv() {
        return name() + "_FILE";
    }

    /** The key in the properties file: {@code HUBSPOT_BASE_URL} becomes {@code hubspot.base-url}. */
    public String property() {
        String lower = name().toLowerCase(Locale.ROOT);
        int first = lower.indexOf('_');
        return lower.substring(0, first) + "." + lower.substring(first + 1).replace('_', '-');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean secret() {
        return secret;
    }

    /** A value as it may be printed: a secret as {@code ****}, a URL without the password or user info it may carry. */
    public String display(String value) {
        if (secret) {
            return "****";
        }
        return this == CLOSEDLOOP_DB_URL && value != null ? redactUrl(value) : value;
    }

    /** JDBC URLs may carry a password parameter or user:password@; never echo either back. */
    static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//[^/@\\s]+@", "//****@");
    }

    public String description() {
        return description;
    }
}
