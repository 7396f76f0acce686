package io.closedloop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    /** An empty settings file, so only the environment counts. */
    private Path noConfig() {
        try {
            return Files.writeString(dir.resolve("empty.properties"), "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-na1-11111111-2222-3333-4444-555555555555");
        env.put("SALESFORCE_CLIENT_ID", "3MVG9consumerkey");
        env.put("SALESFORCE_CLIENT_SECRET", "8A4BE6secretvalue");
        return env;
    }

    private List<String> problems(Path config, Map<String, String> env) {
        try {
            SettingsLoader.load(config, env);
        } catch (SettingsException e) {
            return e.problems();
        }
        throw new AssertionError("expected configuration problems");
    }

    private ClosedloopSettings load(Map<String, String> env) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.properties"), "");
        return SettingsLoader.load(empty, env);
    }

    @Test
    void emptyEnvironmentNamesEveryMissingRequiredKey() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.properties"), "");
        List<String> problems = problems(empty, Map.of());
        assertThat(problems).hasSize(3);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("HUBSPOT_ACCESS_TOKEN: required"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SALESFORCE_CLIENT_ID: required"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SALESFORCE_CLIENT_SECRET: required")
                .contains("SALESFORCE_JWT_KEY_FILE"));
    }

    @Test
    void defaultsApplyWhenOnlyRequiredKeysAreSet() throws Exception {
        ClosedloopSettings s = load(valid());
        assertThat(s.hubspotBaseUrl()).hasToString("https://api.hubapi.com");
        assertThat(s.salesforceLoginUrl()).hasToString("https://login.salesforce.com");
        assertThat(s.salesforceApiVersion()).isEqualTo("62.0");
        assertThat(s.dbUrl()).startsWith("jdbc:h2:file:./data/closedloop");
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.logFormat()).isEqualTo(ClosedloopSettings.LogFormat.PLAIN);
        assertThat(s.salesforceAuth()).isInstanceOf(SalesforceAuth.ClientCredentials.class);
    }

    @Test
    void nonNumericHttpPortIsNamedWithWhatIsExpected() throws Exception {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_HTTP_PORT", "abc");
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_HTTP_PORT: expected a port number from 1 to 65535, got \"abc\"");
    }

    @Test
    void theOpsServerListensOnLoopbackWithNoTokenByDefault() throws Exception {
        ClosedloopSettings s = load(valid());
        assertThat(s.httpHost()).isEqualTo("127.0.0.1");
        assertThat(s.opsTokenSet()).isFalse();
    }

    @Test
    void theOpsTokenIsReadFromItsFileVariantAndMaskedAsASecret() throws Exception {
        Path token = Files.writeString(dir.resolve("ops-token"), "ops-9f8e7d6c5b4a39281706\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_OPS_TOKEN_FILE", token.toString());
        env.put("CLOSEDLOOP_HTTP_HOST", "0.0.0.0");
        ClosedloopSettings s = load(env);
        assertThat(s.opsToken().reveal()).isEqualTo("ops-9f8e7d6c5b4a39281706");
        assertThat(s.secretValues()).contains("ops-9f8e7d6c5b4a39281706");
        assertThat(s.toString()).doesNotContain("ops-9f8e7d6c5b4a39281706");
        assertThat(s.httpHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void aShortOpsTokenAndAHostThatIsAUrlAreNamedWithoutTheTokenValue() {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_OPS_TOKEN", "short-9f8e");
        env.put("CLOSEDLOOP_HTTP_HOST", "http://0.0.0.0:8080");
        List<String> problems = problems(noConfig(), env);
        assertThat(problems).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactlyInAnyOrder(
                "CLOSEDLOOP_OPS_TOKEN", "CLOSEDLOOP_HTTP_HOST");
        assertThat(String.join("\n", problems)).doesNotContain("short-9f8e").contains("at least 16");
    }

    @Test
    void everyMalformedSettingIsReportedAtOnce() {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_HTTP_PORT", "70000");
        env.put("CLOSEDLOOP_POLL_INTERVAL", "soon");
        env.put("LOG_FORMAT", "xml");
        env.put("SALESFORCE_API_VERSION", "v62");
        env.put("HUBSPOT_BASE_URL", "ftp://example.com");
        env.put("CLOSEDLOOP_DB_URL", "jdbc:mysql://db/x?password=hunter2");
        List<String> problems = problems(noConfig(), env);
        assertThat(problems).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactlyInAnyOrder(
                "CLOSEDLOOP_HTTP_PORT", "CLOSEDLOOP_POLL_INTERVAL", "LOG_FORMAT", "SALESFORCE_API_VERSION",
                "HUBSPOT_BASE_URL", "CLOSEDLOOP_DB_URL");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    @Test
    void malformedSecretIsReportedWithoutItsValue() {
        Map<String, String> env = valid();
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-na1 has-a-space-in-it-9f8e7d");
        env.put("SALESFORCE_CLIENT_SECRET", "line\nbreak-secret-4711");
        List<String> problems = problems(noConfig(), env);
        assertThat(problems).hasSize(2);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("HUBSPOT_ACCESS_TOKEN: malformed"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SALESFORCE_CLIENT_SECRET: malformed"));
        String all = String.join("\n", problems);
        assertThat(all).doesNotContain("has-a-space", "9f8e7d", "break-secret", "4711");
    }

    @Test
    void environmentOverridesTheFileAndSecretFilesOverrideNothingTheyConflictWith() throws Exception {
        Path config = Files.writeString(dir.resolve("app.properties"),
                "closedloop.http-port=9000\nclosedloop.poll-interval=5m\nhubspot.base-url=http://localhost:1234/\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_HTTP_PORT", "9100");
        ClosedloopSettings s = SettingsLoader.load(config, env);
        assertThat(s.httpPort()).isEqualTo(9100);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.hubspotBaseUrl()).hasToString("http://localhost:1234");
        assertThat(s.configFile()).isEqualTo(config);
    }

    @Test
    void secretsAreReadFromNameFileVariants() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n");
        Path dbPassword = Files.writeString(dir.resolve("dbpw"), "s3cret pass\n");
        Map<String, String> env = valid();
        env.remove("HUBSPOT_ACCESS_TOKEN");
        env.put("HUBSPOT_ACCESS_TOKEN_FILE", token.toString());
        env.put("CLOSEDLOOP_DB_PASSWORD_FILE", dbPassword.toString());
        ClosedloopSettings s = SettingsLoader.load(noConfig(), env);
        assertThat(s.hubspotAccessToken().reveal()).isEqualTo("pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThat(s.dbPassword().reveal()).isEqualTo("s3cret pass");
        assertThat(s.toString()).doesNotContain("pat-eu1", "s3cret", "8A4BE6secretvalue");
    }

    @Test
    void secretSetBothDirectlyAndAsFileIsRejected() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "pat-eu1-aaaaaaaa");
        Map<String, String> env = valid();
        env.put("HUBSPOT_ACCESS_TOKEN_FILE", token.toString());
        assertThat(problems(noConfig(), env)).containsExactly(
                "HUBSPOT_ACCESS_TOKEN: set either HUBSPOT_ACCESS_TOKEN or HUBSPOT_ACCESS_TOKEN_FILE, not both");
    }

    @Test
    void unreadableSecretFileIsNamed() {
        Map<String, String> env = valid();
        env.remove("SALESFORCE_CLIENT_SECRET");
        env.put("SALESFORCE_CLIENT_SECRET_FILE", dir.resolve("missing").toString());
        assertThat(problems(noConfig(), env)).singleElement().asString()
                .startsWith("SALESFORCE_CLIENT_SECRET_FILE: cannot read secret file");
    }

    @Test
    void missingExplicitConfigFileIsAProblem() {
        assertThat(problems(dir.resolve("nope.properties"), valid())).singleElement().asString()
                .startsWith("--config: file not found");
    }

    @Test
    void jwtBearerFlowLoadsAPkcs8Key() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path key = Files.writeString(dir.resolve("key.pem"), pem);
        Map<String, String> env = valid();
        env.remove("SALESFORCE_CLIENT_SECRET");
        env.put("SALESFORCE_USERNAME", "integration@acme.example");
        env.put("SALESFORCE_JWT_KEY_FILE", key.toString());
        ClosedloopSettings s = SettingsLoader.load(noConfig(), env);
        assertThat(s.salesforceAuth()).isInstanceOfSatisfying(SalesforceAuth.JwtBearer.class, jwt -> {
            assertThat(jwt.username()).isEqualTo("integration@acme.example");
            assertThat(jwt.privateKey().getModulus()).isEqualTo(((java.security.interfaces.RSAPrivateKey) pair.getPrivate()).getModulus());
        });
        assertThat(s.salesforceAuth().toString()).doesNotContain("BEGIN", "privateKey");
    }

    @Test
    void malformedJwtKeyIsReportedWithoutItsContents() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretsecret\n-----END RSA PRIVATE KEY-----\n");
        Map<String, String> env = valid();
        env.remove("SALESFORCE_CLIENT_SECRET");
        env.put("SALESFORCE_USERNAME", "integration@acme.example");
        env.put("SALESFORCE_JWT_KEY_FILE", key.toString());
        assertThat(problems(noConfig(), env)).singleElement().asString()
                .startsWith("SALESFORCE_JWT_KEY_FILE: malformed")
                .contains("PKCS#1", "openssl pkcs8")
                .doesNotContain("MIIEsecretsecret");
    }

    @Test
    void halfConfiguredJwtFlowNamesTheMissingKey() {
        Map<String, String> env = valid();
        env.remove("SALESFORCE_CLIENT_SECRET");
        env.put("SALESFORCE_USERNAME", "integration@acme.example");
        assertThat(problems(noConfig(), env)).singleElement().asString().startsWith("SALESFORCE_JWT_KEY_FILE: required");
    }

    @Test
    void twoLoginFlowsAtOnceAreAmbiguous() {
        Map<String, String> env = valid();
        env.put("SALESFORCE_USERNAME", "integration@acme.example");
        assertThat(problems(noConfig(), env)).singleElement().asString()
                .startsWith("SALESFORCE_CLIENT_SECRET: configure one Salesforce login flow");
    }

    @Test
    void listIdsDefaultToNoneAndAreReadFromTheFileOrTheEnvironment() throws Exception {
        assertThat(load(valid()).hubspotListIds()).isEmpty();
        Path file = Files.writeString(dir.resolve("lists.properties"), "hubspot.list-ids=1234, 77,,1234\n");
        assertThat(SettingsLoader.load(file, valid()).hubspotListIds()).containsExactly("1234", "77");
        Map<String, String> env = valid();
        env.put("HUBSPOT_LIST_IDS", "5");
        assertThat(SettingsLoader.load(file, env).hubspotListIds()).containsExactly("5");
    }

    @Test
    void nonNumericListIdIsAProblemNamingTheKey() {
        Map<String, String> env = valid();
        env.put("HUBSPOT_LIST_IDS", "1234,webinar,-7");
        assertThat(problems(noConfig(), env)).containsExactly(
                "HUBSPOT_LIST_IDS: expected comma-separated numeric HubSpot list ids such as 1234,5678, got \"webinar\"",
                "HUBSPOT_LIST_IDS: expected comma-separated numeric HubSpot list ids such as 1234,5678, got \"-7\"");
    }

    @Test
    void campaignSyncIsOffByDefaultAndReadsItsListsLeaversAndNotes() throws Exception {
        assertThat(load(valid()).campaignSync().enabled()).isFalse();
        Path notes = Files.writeString(dir.resolve("campaigns.properties"), "list.12.offer=Pricing guide\nlist.12.link=https://www.example.com/g\n"
                + "list.12.talking-points=Ask about their renewal\nlist.12.type=Email\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_CAMPAIGN_SYNC", "12, 34, all-email-campaigns");
        env.put("CLOSEDLOOP_CAMPAIGN_NOTES_FILE", notes.toString());
        CampaignSync sync = load(env).campaignSync();
        assertThat(sync.listIds()).containsExactly("12", "34");
        assertThat(sync.allEmailCampaigns()).isTrue();
        assertThat(sync.leavers()).isEqualTo(CampaignSync.Leavers.STATUS);
        assertThat(sync.notesOf("list:12")).isEqualTo(new CampaignSync.Notes("Pricing guide", "https://www.example.com/g", "Ask about their renewal",
                "Email"));
        assertThat(sync.notesOf("list:34")).isEqualTo(CampaignSync.Notes.NONE);
        assertThat(sync.notesOf("email:12")).isEqualTo(CampaignSync.Notes.NONE);
    }

    @Test
    void badCampaignSettingsAreProblemsNamingTheKey() throws Exception {
        Path notes = Files.writeString(dir.resolve("bad-campaigns.properties"), "list.12.offer=ok\nlist.12.type=Seminar\nlists.12.link=x\n"
                + "list.12.link=ftp://example.com\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_CAMPAIGN_SYNC", "12,webinar");
        env.put("CLOSEDLOOP_CAMPAIGN_LEAVERS", "forget");
        env.put("CLOSEDLOOP_CAMPAIGN_NOTES_FILE", notes.toString());
        List<String> problems = problems(noConfig(), env);
        assertThat(problems).contains(
                "CLOSEDLOOP_CAMPAIGN_SYNC: expected comma-separated numeric HubSpot list ids and/or all-email-campaigns, got \"webinar\"");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLOSEDLOOP_CAMPAIGN_LEAVERS:").contains("forget"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLOSEDLOOP_CAMPAIGN_NOTES_FILE:").contains("list.12.type")
                .contains("Seminar"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLOSEDLOOP_CAMPAIGN_NOTES_FILE:").contains("lists.12.link"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("CLOSEDLOOP_CAMPAIGN_NOTES_FILE:").contains("list.12.link is not an http(s) link"));
        env.put("CLOSEDLOOP_CAMPAIGN_NOTES_FILE", dir.resolve("missing.properties").toString());
        env.put("CLOSEDLOOP_CAMPAIGN_SYNC", "12");
        env.remove("CLOSEDLOOP_CAMPAIGN_LEAVERS");
        assertThat(problems(noConfig(), env)).singleElement().satisfies(p -> assertThat(p).startsWith("CLOSEDLOOP_CAMPAIGN_NOTES_FILE: file not found"));
    }

    @Test
    void theShippedDispositionFileLoadsAndMapsLeadStatusesAndHubSpotValues() throws Exception {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", Path.of("config", "dispositions.properties").toAbsolutePath().toString());
        DispositionRules rules = load(env).dispositionRules();
        assertThat(rules.byLeadStatus()).containsEntry("Closed - Not Converted", io.closedloop.core.Disposition.REJECTED)
                .containsEntry("Working - Contacted", io.closedloop.core.Disposition.WORKING);
        assertThat(rules.hubspotLeadStatus()).containsEntry(io.closedloop.core.Disposition.REJECTED, "UNQUALIFIED");
        assertThat(rules.allowBackwards()).isFalse();
        assertThat(rules.lifecycleMoveAllowed("salesqualifiedlead", "lead")).isFalse();
        assertThat(rules.lifecycleMoveAllowed("lead", "salesqualifiedlead")).isTrue();
        assertThat(rules.slaHours()).hasHours(24);
    }

    @Test
    void badDispositionRulesAreProblemsNamingTheKeyAndTheLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("d.properties"), "status.rejected=Closed - Not Converted,Working - Contacted\n"
                + "sla.hours=soon\nhubspot.lifecycle.allow-backwards=maybe\nsla.business-hours=9 to 5\nnot.a.key=1\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        assertThat(problems(noConfig(), env)).allSatisfy(p -> assertThat(p).startsWith("CLOSEDLOOP_DISPOSITION_FILE: " + rules))
                .anySatisfy(p -> assertThat(p).contains("not.a.key: unknown key"))
                .anySatisfy(p -> assertThat(p).contains("sla.hours: expected a positive number of hours, got \"soon\""))
                .anySatisfy(p -> assertThat(p).contains("allow-backwards: expected true or false"))
                .anySatisfy(p -> assertThat(p).contains("sla.business-hours: expected e.g. 09:00-17:00 MON-FRI Europe/Berlin"))
                .anySatisfy(p -> assertThat(p).contains("Lead Status \"Working - Contacted\" is also mapped to"));
    }

    @Test
    void businessHoursAndPerSourceSlaAreParsed() throws Exception {
        Path rules = Files.writeString(dir.resolve("d2.properties"),
                "sla.business-hours=09:00-17:00 MON-FRI Europe/Berlin\nsla.hours-by-lead-source=Web:4, Partner Referral:48\n");
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_DISPOSITION_FILE", rules.toString());
        DispositionRules r = load(env).dispositionRules();
        assertThat(r.businessHours().days()).hasSize(5).doesNotContain(java.time.DayOfWeek.SATURDAY);
        assertThat(r.businessHours().zone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
        assertThat(r.slaFor("Web")).hasHours(4);
        assertThat(r.slaFor("Partner Referral")).hasHours(48);
        assertThat(r.slaFor("Other")).hasHours(24);
    }

    @Test
    void pollIntervalAcceptsShortAndIsoForms() {
        assertThat(SettingsLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SettingsLoader.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(SettingsLoader.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SettingsLoader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(SettingsLoader.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SettingsLoader.parseDuration("often")).isNull();
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_POLL_INTERVAL", "10ms");
        assertThat(problems(noConfig(), env)).singleElement().asString().startsWith("CLOSEDLOOP_POLL_INTERVAL: expected a duration of at least 100ms");
    }

    @Test
    void parkedRetentionDefaultsTo30DaysAndTakesDaysHoursOrIso() throws Exception {
        assertThat(SettingsLoader.load(noConfig(), valid()).parkedRetention()).isEqualTo(Duration.ofDays(30));
        for (var form : Map.of("7d", Duration.ofDays(7), "12h", Duration.ofHours(12), "P30D", Duration.ofDays(30)).entrySet()) {
            Map<String, String> env = valid();
            env.put("CLOSEDLOOP_PARKED_RETENTION", form.getKey());
            assertThat(SettingsLoader.load(noConfig(), env).parkedRetention()).as(form.getKey()).isEqualTo(form.getValue());
        }
    }

    @Test
    void malformedOrTooShortParkedRetentionIsNamed() {
        for (String bad : List.of("forever", "30s")) {
            Map<String, String> env = valid();
            env.put("CLOSEDLOOP_PARKED_RETENTION", bad);
            assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_PARKED_RETENTION: expected a duration of at least 1h "
                    + "such as 30d, 12h or P30D, got \"" + bad + "\"");
        }
    }

    @Test
    void propertyNamesFollowTheEnvironmentNames() {
        assertThat(SettingKey.HUBSPOT_BASE_URL.property()).isEqualTo("hubspot.base-url");
        assertThat(SettingKey.SALESFORCE_JWT_KEY_FILE.property()).isEqualTo("salesforce.jwt-key-file");
        assertThat(SettingKey.CLOSEDLOOP_DB_URL.property()).isEqualTo("closedloop.db-url");
        assertThat(SettingKey.LOG_FORMAT.property()).isEqualTo("log.format");
        assertThat(SettingKey.HUBSPOT_LIST_IDS.property()).isEqualTo("hubspot.list-ids");
        assertThatThrownBy(() -> SettingsLoader.load(noConfig(), Map.of())).isInstanceOf(SettingsException.class)
                .hasMessageContaining("3 configuration problem(s)");
    }

    @Test
    void budgetsDefaultToStarterBurstAndHalfOfEachDailyAllowance() throws Exception {
        ClosedloopSettings s = load(valid());
        assertThat(s.hubspotBurstPer10s()).isEqualTo(100);
        assertThat(s.hubspotDailyBudget()).isEqualTo(DailyBudget.ofPercent(50));
        assertThat(s.salesforceDailyShare()).isEqualTo(50);
    }

    @Test
    void hubspotDailyBudgetIsACountOrAPercentage() throws Exception {
        Map<String, String> env = valid();
        env.put("HUBSPOT_DAILY_BUDGET", "200000");
        env.put("HUBSPOT_BURST_PER_10S", "190");
        env.put("SALESFORCE_DAILY_SHARE", "30");
        ClosedloopSettings s = load(env);
        assertThat(s.hubspotDailyBudget()).isEqualTo(DailyBudget.ofCalls(200_000));
        assertThat(s.hubspotBurstPer10s()).isEqualTo(190);
        assertThat(s.salesforceDailyShare()).isEqualTo(30);
        env.put("HUBSPOT_DAILY_BUDGET", "25%");
        assertThat(load(env).hubspotDailyBudget().of(1_000)).isEqualTo(250);
    }

    @Test
    void malformedBudgetsAreNamedWithWhatIsExpected() {
        Map<String, String> env = valid();
        env.put("HUBSPOT_BURST_PER_10S", "500");
        env.put("HUBSPOT_DAILY_BUDGET", "lots");
        env.put("SALESFORCE_DAILY_SHARE", "150%");
        assertThat(problems(noConfig(), env)).containsExactlyInAnyOrder(
                "HUBSPOT_BURST_PER_10S: expected a number of calls from 1 to 250 (HubSpot's burst limit per 10 s), got \"500\"",
                "HUBSPOT_DAILY_BUDGET: expected a number of calls such as 200000 or a percentage such as 50%, got \"lots\"",
                "SALESFORCE_DAILY_SHARE: expected a percentage from 1% to 100% such as 50%, got \"150%\"");
    }

    @Test
    void retryCircuitBreakerAndTimingDefaultsKeepTheFormerConstants() throws Exception {
        ClosedloopSettings s = load(valid());
        assertThat(s.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThat(s.circuitBreaker()).isEqualTo(io.closedloop.core.ApiCircuitBreaker.Settings.defaults());
        assertThat(s.unmatchedRetryInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.unmatchedRetryMaxBackoff()).isEqualTo(Duration.ofDays(1));
        assertThat(s.startFrom()).isEqualTo(io.closedloop.core.StartFrom.ago(Duration.ofHours(1)));
        assertThat(s.identityCache()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.contactWait()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void theWaitForAHubSpotContactIsReadAndAMalformedOneIsNamed() throws Exception {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_CONTACT_WAIT", "36h");
        assertThat(load(env).contactWait()).isEqualTo(Duration.ofHours(36));
        env.put("CLOSEDLOOP_CONTACT_WAIT", "a week");
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_CONTACT_WAIT: expected a duration such as 7d, 12h, 0s or P7D, got \"a week\"");
    }

    @Test
    void retryCircuitBreakerAndTimingAreReadFromTheEnvironmentAndTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("tuning.properties"),
                "closedloop.retry-max-redeliveries=3\nclosedloop.circuit-breaker-open=PT2M\n");
        Map<String, String> env = valid();
        env.putAll(Map.of("CLOSEDLOOP_RETRY_INITIAL_DELAY", "250ms", "CLOSEDLOOP_RETRY_MAX_DELAY", "5m",
                "CLOSEDLOOP_CIRCUIT_BREAKER_FAILURES", "10", "CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "1h",
                "CLOSEDLOOP_START_FROM", "7d", "CLOSEDLOOP_IDENTITY_CACHE", "0s"));
        ClosedloopSettings s = SettingsLoader.load(config, env);
        assertThat(s.retry()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(250), Duration.ofMinutes(5)));
        assertThat(s.circuitBreaker()).isEqualTo(new io.closedloop.core.ApiCircuitBreaker.Settings(10, Duration.ofMinutes(2)));
        assertThat(s.unmatchedRetryInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(s.startFrom()).isEqualTo(io.closedloop.core.StartFrom.ago(Duration.ofDays(7)));
        assertThat(s.identityCache()).isZero();
    }

    @Test
    void malformedRetryCircuitBreakerAndTimingAreNamedWithWhatIsExpected() {
        Map<String, String> env = valid();
        env.putAll(Map.of("CLOSEDLOOP_RETRY_MAX_REDELIVERIES", "-1", "CLOSEDLOOP_RETRY_INITIAL_DELAY", "0s",
                "CLOSEDLOOP_CIRCUIT_BREAKER_FAILURES", "many", "CLOSEDLOOP_CIRCUIT_BREAKER_OPEN", "500ms",
                "CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "hourly", "CLOSEDLOOP_START_FROM", "-PT1H",
                "CLOSEDLOOP_IDENTITY_CACHE", "15 minutes"));
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_RETRY_MAX_REDELIVERIES: expected a number of redeliveries from 0 to 100, got \"-1\"",
                "CLOSEDLOOP_RETRY_INITIAL_DELAY: expected a duration of at least 1ms such as 500ms, 1s or PT1S, got \"0s\"",
                "CLOSEDLOOP_CIRCUIT_BREAKER_FAILURES: expected a number of failed calls from 1 to 1000, got \"many\"",
                "CLOSEDLOOP_CIRCUIT_BREAKER_OPEN: expected a duration of at least 1s such as 60s, 5m or PT1M, got \"500ms\"",
                "CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL: expected a duration of at least 1s such as 15m, 1h or PT15M, got \"hourly\"",
                "CLOSEDLOOP_START_FROM: expected a duration back such as 1h, 7d or PT1H, or a past ISO date-time such as 2026-11-01T00:00:00Z, got \"-PT1H\"",
                "CLOSEDLOOP_IDENTITY_CACHE: expected a duration such as 15m, 1h or PT15M, or 0s for no cache, got \"15 minutes\"");
    }

    @Test
    void startFromTakesADurationOrAPastDateTimeAndNamesAFutureOrMalformedOne() throws Exception {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_START_FROM", "2026-01-15T08:30:00+01:00");
        assertThat(load(env).startFrom()).isEqualTo(io.closedloop.core.StartFrom.at(java.time.Instant.parse("2026-01-15T07:30:00Z")));
        env.put("CLOSEDLOOP_START_FROM", "2026-01-15");
        assertThat(load(env).startFrom().from(java.time.Instant.now())).isEqualTo(java.time.Instant.parse("2026-01-15T00:00:00Z"));
        env.put("CLOSEDLOOP_START_FROM", "90d");
        assertThat(load(env).startFrom()).isEqualTo(io.closedloop.core.StartFrom.ago(Duration.ofDays(90)));
        env.put("CLOSEDLOOP_START_FROM", "2999-01-01T00:00:00Z");
        assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_START_FROM: expected a duration back such as 1h, 7d or PT1H,"
                + " or a past ISO date-time such as 2026-11-01T00:00:00Z, got \"2999-01-01T00:00:00Z\"");
        env.put("CLOSEDLOOP_START_FROM", "last week");
        assertThat(problems(noConfig(), env)).hasSize(1).allMatch(p -> p.startsWith("CLOSEDLOOP_START_FROM: expected"));
    }

    @Test
    void bulkThresholdDefaultsTo2000AndAMalformedOneIsNamed() throws Exception {
        assertThat(load(valid()).salesforceBulkThreshold()).isEqualTo(2000);
        Map<String, String> env = valid();
        env.put("SALESFORCE_BULK_THRESHOLD", "0");
        assertThat(problems(noConfig(), env)).containsExactly(
                "SALESFORCE_BULK_THRESHOLD: expected a number of activities from 1 to 100000000, got \"0\"");
    }

    @Test
    void pollChunkDefaultsTo10000AndAMalformedOneIsNamed() throws Exception {
        assertThat(load(valid()).pollChunk()).isEqualTo(10_000);
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_POLL_CHUNK", "2500");
        assertThat(load(env).pollChunk()).isEqualTo(2500);
        env.put("CLOSEDLOOP_POLL_CHUNK", "10");
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_POLL_CHUNK: expected a number of events from 100 to 1000000, got \"10\"");
        env.put("CLOSEDLOOP_POLL_CHUNK", "lots");
        assertThat(problems(noConfig(), env)).hasSize(1).allMatch(p -> p.startsWith("CLOSEDLOOP_POLL_CHUNK: expected"));
    }

    @Test
    void salesforceConcurrencyDefaultsTo4AndOneOutOfRangeIsNamed() throws Exception {
        assertThat(load(valid()).salesforceConcurrency()).isEqualTo(4);
        Map<String, String> env = valid();
        env.put("SALESFORCE_CONCURRENCY", "1");
        assertThat(load(env).salesforceConcurrency()).isEqualTo(1);
        env.put("SALESFORCE_CONCURRENCY", "26");
        assertThat(problems(noConfig(), env)).containsExactly("SALESFORCE_CONCURRENCY: expected a number of calls from 1 to 25, got \"26\"");
    }

    @Test
    void salesforceTimeoutDefaultsTo120SecondsAndOneBelowTenSecondsIsNamed() throws Exception {
        assertThat(load(valid()).salesforceTimeout()).isEqualTo(java.time.Duration.ofSeconds(120));
        Map<String, String> env = valid();
        env.put("SALESFORCE_TIMEOUT", "5m");
        assertThat(load(env).salesforceTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
        env.put("SALESFORCE_TIMEOUT", "5s");
        assertThat(problems(noConfig(), env)).containsExactly(
                "SALESFORCE_TIMEOUT: expected a duration of at least 10s such as 120s or PT2M, got \"5s\"");
    }

    @Test
    void initialLookbackIsADeprecatedAliasOfStartFromAndBothSetIsAProblem() throws Exception {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_INITIAL_LOOKBACK", "7d");
        List<String> warnings = new java.util.ArrayList<>();
        assertThat(SettingsLoader.load(noConfig(), env, warnings::add).startFrom())
                .isEqualTo(io.closedloop.core.StartFrom.ago(Duration.ofDays(7)));
        assertThat(warnings).anyMatch(w -> w.startsWith("CLOSEDLOOP_INITIAL_LOOKBACK: deprecated: use CLOSEDLOOP_START_FROM"));
        env.put("CLOSEDLOOP_START_FROM", "2d");
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_INITIAL_LOOKBACK: set either CLOSEDLOOP_START_FROM or its deprecated alias CLOSEDLOOP_INITIAL_LOOKBACK, not both");
    }

    @Test
    void formFullReadIntervalDefaultsToAnHourAcceptsZeroAndNamesAMalformedValue() throws Exception {
        assertThat(load(valid()).hubspotFormFullRead()).isEqualTo(Duration.ofHours(1));
        Map<String, String> env = valid();
        env.put("HUBSPOT_FORM_FULL_READ_INTERVAL", "0s");
        assertThat(load(env).hubspotFormFullRead()).isZero();
        env.put("HUBSPOT_FORM_FULL_READ_INTERVAL", "6h");
        assertThat(load(env).hubspotFormFullRead()).isEqualTo(Duration.ofHours(6));
        env.put("HUBSPOT_FORM_FULL_READ_INTERVAL", "-1h");
        assertThat(problems(noConfig(), env)).containsExactly(
                "HUBSPOT_FORM_FULL_READ_INTERVAL: expected a duration such as 1h, 6h or PT1H, or 0s to read every form at every poll, got \"-1h\"");
    }

    @Test
    void theSummaryIntervalDefaultsToThirtySecondsAcceptsZeroAndAMalformedOneIsNamed() throws Exception {
        Map<String, String> env = valid();
        env.remove("CLOSEDLOOP_SUMMARY_INTERVAL");
        assertThat(load(env).summaryInterval()).isEqualTo(Duration.ofSeconds(30));
        env.put("CLOSEDLOOP_SUMMARY_INTERVAL", "0s");
        assertThat(load(env).summaryInterval()).isZero();
        env.put("CLOSEDLOOP_SUMMARY_INTERVAL", "2m");
        assertThat(load(env).summaryInterval()).isEqualTo(Duration.ofMinutes(2));
        env.put("CLOSEDLOOP_SUMMARY_INTERVAL", "-5s");
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_SUMMARY_INTERVAL: expected a duration such as 30s, 1m or PT30S, or 0s to write after every poll, got \"-5s\"");
    }

    @Test
    void retryMaxDelayShorterThanTheInitialDelayIsNamed() {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_RETRY_INITIAL_DELAY", "10s");
        env.put("CLOSEDLOOP_RETRY_MAX_DELAY", "5s");
        assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_RETRY_MAX_DELAY: expected a duration no shorter than "
                + "CLOSEDLOOP_RETRY_INITIAL_DELAY such as 60s, 5m or PT1M, got \"5s\"");
    }

    @Test
    void sweepAndClockSkewLimitDefaultAndAreReadFromTheEnvironment() throws Exception {
        ClosedloopSettings defaults = load(valid());
        assertThat(defaults.sweepPeriod()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.sweepDepth()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.clockSkewLimit()).isEqualTo(Duration.ofMinutes(2));
        Map<String, String> env = valid();
        env.putAll(Map.of("CLOSEDLOOP_SWEEP_PERIOD", "5m", "CLOSEDLOOP_SWEEP_DEPTH", "PT1H", "CLOSEDLOOP_CLOCK_SKEW_LIMIT", "30s"));
        ClosedloopSettings s = load(env);
        assertThat(s.sweepPeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.sweepDepth()).isEqualTo(Duration.ofHours(1));
        assertThat(s.clockSkewLimit()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aSweepNoDeeperThanItsPeriodPlusThePollIntervalIsNamed() {
        Map<String, String> env = valid();
        env.putAll(Map.of("CLOSEDLOOP_SWEEP_PERIOD", "10m", "CLOSEDLOOP_POLL_INTERVAL", "1m", "CLOSEDLOOP_SWEEP_DEPTH", "11m",
                "CLOSEDLOOP_CLOCK_SKEW_LIMIT", "0s"));
        assertThat(problems(noConfig(), env)).containsExactly(
                "CLOSEDLOOP_SWEEP_DEPTH: expected a duration longer than CLOSEDLOOP_SWEEP_PERIOD plus CLOSEDLOOP_POLL_INTERVAL (660 s) "
                        + "such as 30m or PT30M, got \"11m\"",
                "CLOSEDLOOP_CLOCK_SKEW_LIMIT: expected a duration of at least 1s such as 2m, 30s or PT2M, got \"0s\"");
    }

    @Test
    void unmatchedRetryMaxBackoffIsReadAndMayNotBeShorterThanTheRetryInterval() {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_MAX_BACKOFF", "6h");
        assertThat(SettingsLoader.load(noConfig(), env).unmatchedRetryMaxBackoff()).isEqualTo(Duration.ofHours(6));
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL", "1h");
        env.put("CLOSEDLOOP_UNMATCHED_RETRY_MAX_BACKOFF", "30m");
        assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_UNMATCHED_RETRY_MAX_BACKOFF: expected a duration no shorter than "
                + "CLOSEDLOOP_UNMATCHED_RETRY_INTERVAL such as 1d, 12h or P1D, got \"30m\"");
    }

    @Test
    void aDurationTooLargeForTheClockIsNamedInsteadOfFailingLater() {
        for (String huge : List.of("99999999999999d", "P999999999999D", "3651d")) {
            Map<String, String> env = valid();
            env.put("CLOSEDLOOP_POLL_INTERVAL", huge);
            assertThat(problems(noConfig(), env)).as(huge).containsExactly("CLOSEDLOOP_POLL_INTERVAL: expected a duration of at least "
                    + "100ms such as 30s, 5m or PT1M, at most 3650d, got \"" + huge + "\"");
        }
        // more digits than a long holds: not a duration at all
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_POLL_INTERVAL", "99999999999999999999999d");
        assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_POLL_INTERVAL: expected a duration of at least "
                + "100ms such as 30s, 5m or PT1M, got \"99999999999999999999999d\"");
        assertThat(SettingsLoader.parseDuration("99999999999999999999999d")).isNull();
        // the longest duration is accepted (the poll interval also bounds the sweep depth, so another key shows it)
        env.remove("CLOSEDLOOP_POLL_INTERVAL");
        env.put("CLOSEDLOOP_PARKED_RETENTION", "3650d");
        assertThat(SettingsLoader.load(noConfig(), env).parkedRetention()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void plainHttpToAnotherHostIsRefusedUnlessExplicitlyAllowed() throws Exception {
        Map<String, String> env = valid();
        env.put("HUBSPOT_BASE_URL", "http://api.hubapi.com");
        env.put("SALESFORCE_LOGIN_URL", "http://login.salesforce.com");
        assertThat(problems(noConfig(), env)).containsExactly(
                "HUBSPOT_BASE_URL: expected an https URL: plain http to api.hubapi.com would send credentials unencrypted "
                        + "(set CLOSEDLOOP_ALLOW_INSECURE_HTTP=true to allow it)",
                "SALESFORCE_LOGIN_URL: expected an https URL: plain http to login.salesforce.com would send credentials unencrypted "
                        + "(set CLOSEDLOOP_ALLOW_INSECURE_HTTP=true to allow it)");
        env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "true");
        assertThat(load(env).hubspotBaseUrl()).hasToString("http://api.hubapi.com");
        env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "sometimes");
        // a malformed opt-in is no opt-in
        assertThat(problems(noConfig(), env)).hasSize(3).first().isEqualTo("CLOSEDLOOP_ALLOW_INSECURE_HTTP: expected one of false, true, got \"sometimes\"");
    }

    @Test
    void plainHttpToThisMachineIsAllowedWithAWarning() throws Exception {
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SettingsLoader.class);
        appender.start();
        logger.addAppender(appender);
        try {
            Map<String, String> env = valid();
            env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:8089");
            env.put("SALESFORCE_LOGIN_URL", "http://localhost:8090");
            assertThat(load(env).hubspotBaseUrl()).hasToString("http://127.0.0.1:8089");
            assertThat(appender.list).extracting(e -> e.getLevel().toString() + " " + e.getFormattedMessage()).containsExactly(
                    "WARN HUBSPOT_BASE_URL: plain http to 127.0.0.1 (this machine)",
                    "WARN SALESFORCE_LOGIN_URL: plain http to localhost (this machine)");
            appender.list.clear();
            env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "true");
            load(env);
            assertThat(appender.list).isEmpty();
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void unknownKeysInTheConfigFileAreNamed() throws Exception {
        Path config = Files.writeString(dir.resolve("typos.properties"),
                "closedloop.poll-intervall=5m\nclosedloop.http-port=9000\nhubspot.acces-token=x\nlog.format=json\nother.tool=1\n");
        assertThat(problems(config, valid())).containsExactly(
                "--config: unknown key closedloop.poll-intervall in " + config + " (not a Closedloop setting)",
                "--config: unknown key hubspot.acces-token in " + config + " (not a Closedloop setting)");
    }

    @Test
    void aRejectedDatabaseUrlIsEchoedWithoutItsCredentials() {
        Map<String, String> env = valid();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:mysql://closedloop:s3cr3t-pw@db.internal/closedloop?password=other-pw");
        assertThat(problems(noConfig(), env)).containsExactly("CLOSEDLOOP_DB_URL: expected a jdbc:h2: or jdbc:postgresql: URL, "
                + "got \"jdbc:mysql://****@db.internal/closedloop?password=****\"");
    }

    @Test
    void aSettingPrintsWithoutSecretsOrTheUrlsCredentials() {
        assertThat(SettingKey.CLOSEDLOOP_DB_PASSWORD.display("s3cr3t-pw")).isEqualTo("****");
        assertThat(SettingKey.HUBSPOT_ACCESS_TOKEN.display("pat-na1-11111111")).isEqualTo("****");
        assertThat(SettingKey.CLOSEDLOOP_DB_URL.display("jdbc:postgresql://closedloop:s3cr3t-pw@db.internal/closedloop?password=other-pw"))
                .isEqualTo("jdbc:postgresql://****@db.internal/closedloop?password=****");
        assertThat(SettingKey.SALESFORCE_CONCURRENCY.display("8")).isEqualTo("8");
    }
}
