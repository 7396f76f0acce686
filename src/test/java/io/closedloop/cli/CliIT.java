package io.closedloop.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.closedloop.sandbox.salesforce.SalesforceAccess;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import io.closedloop.core.ErrorKind;
import io.closedloop.testsupport.TestSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar as a user would: {@code java -jar target/closedloop.jar ...} in an empty directory. */
class CliIT {
    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

    @TempDir
    Path workDir;

    private WireMockServer apis;

    record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void startApis() {
        apis = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        apis.start();
    }

    @AfterEach
    void stopApis() {
        apis.stop();
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("closedloop.jar", "target/closedloop.jar");
        var command = new java.util.ArrayList<String>(java.util.List.of(javaBin, "-jar", Path.of(jar).toAbsolutePath().toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile()).redirectError(workDir.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
        return result(p);
    }

    private Result result(Process p) throws IOException {
        return new Result(p.exitValue(), Files.readString(workDir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_ACCESS_TOKEN", TOKEN);
        env.put("HUBSPOT_BASE_URL", apis.baseUrl());
        env.put("SALESFORCE_LOGIN_URL", apis.baseUrl());
        env.put("SALESFORCE_CLIENT_ID", "3MVG9consumerkey");
        env.put("SALESFORCE_CLIENT_SECRET", "8A4BE6secretvalue");
        // WireMock and the emulators speak plain http on this machine: the explicit opt-in a test setup gives
        env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "true");
        return env;
    }

    /** Both APIs at a local port nobody listens on. */
    private Map<String, String> unreachableApisEnv() {
        Map<String, String> env = validEnv();
        int closed = TestSettings.freePort();
        env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:" + closed);
        env.put("SALESFORCE_LOGIN_URL", "http://127.0.0.1:" + closed);
        return env;
    }

    /** A state store file as a daemon leaves it: three parked records (one with an email in its payload), one resolved. */
    private Map<String, String> envWithParkedRecords() {
        Map<String, String> env = validEnv();
        String url = "jdbc:h2:file:" + workDir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
        env.put("CLOSEDLOOP_DB_URL", url);
        try (StateStore store = StateStore.open(url, "sa", "", java.time.Clock.systemUTC())) {
            ParkedRecords parked = store.parked();
            parked.park("hubspot-email-events", "email:evt-1:1700000000000", "{\"email\":\"pat.lee@acme.example\"}",
                    "Activity_Type__c: bad value for restricted picklist field: Email Bounce", ErrorKind.SKIPPABLE,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            parked.park("hubspot-email-events", "email:evt-2:1700000000001", "{\"email\":\"sam@beta.example\"}",
                    "no Salesforce Lead or Contact has this email yet", ErrorKind.SKIPPABLE, "UNMATCHED");
            parked.park("hubspot-email-events", "email:evt-3:1700000000002", "{\"email\":\"kim@beta.example\"}",
                    "no Salesforce Lead or Contact has this email yet", ErrorKind.SKIPPABLE, "UNMATCHED");
            var fixed = parked.park("hubspot-form-submissions", "form:g1:1700000000003", "{\"email\":\"lou@gamma.example\"}",
                    "Asset: data value too large: Demo request (max length=5)", ErrorKind.SKIPPABLE, "STRING_TOO_LONG");
            parked.markResolved(fixed.id());
        }
        return env;
    }

    @Test
    void parkedSummarisesParkedRecordsByFlowKindAndCodeWithoutPayloads() throws Exception {
        Map<String, String> env = envWithParkedRecords();
        Result r = run(env, "parked");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().map(String::strip)).containsSubsequence(
                "FLOW                  KIND       CODE                                     COUNT",
                "hubspot-email-events  SKIPPABLE  UNMATCHED                                    2",
                "hubspot-email-events  SKIPPABLE  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST      1");
        assertThat(r.out()).contains("total: 3 parked").doesNotContain("STRING_TOO_LONG", "@");
        assertThat(r.out()).contains("of which 2 wait for a Salesforce match (UNMATCHED, retried automatically) and 1 failed");

        Result resolved = run(env, "parked", "--status", "resolved", "--flow", "hubspot-form-submissions");
        assertThat(resolved.out()).contains("hubspot-form-submissions  SKIPPABLE  STRING_TOO_LONG", "total: 1 resolved");
    }

    @Test
    void parkedListPrintsOneLinePerRecordAndShowsAPayloadOnlyWhenAskedById() throws Exception {
        Map<String, String> env = envWithParkedRecords();
        Result r = run(env, "parked", "--list", "--code", "UNMATCHED", "--since", "1h");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("FLOW", "KEY", "CODE", "ATTEMPTS", "FIRST SEEN", "LAST SEEN", "REASON");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).strip()).matches("2 +hubspot-email-events +email:evt-2:1700000000001 +UNMATCHED +1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\S+Z +parked "
                + "+no Salesforce Lead or Contact has this email yet");
        assertThat(lines.get(2).strip()).startsWith("3 ");
        assertThat(r.out()).doesNotContain("@");

        assertThat(run(env, "parked", "--list", "--limit", "1").out()).contains("email:evt-1:", "more records match")
                .doesNotContain("email:evt-2:");
        assertThat(run(env, "parked", "--list", "--until", "2020-01-01T00:00:00Z").out()).contains("No parked records match.");
        assertThat(run(env, "parked", "--list", "--since", "soon").exit()).isEqualTo(2);

        Result payload = run(env, "parked", "--show-payload", "1");
        assertThat(payload.exit()).isZero();
        assertThat(payload.out().strip()).isEqualTo("{\"email\":\"pat.lee@acme.example\"}");
        assertThat(payload.err()).contains("personal data");
    }

    @Test
    void replayDryRunListsTheSelectionAndChangesNothing() throws Exception {
        Map<String, String> env = envWithParkedRecords();
        Result r = run(env, "replay", "--reason", "LEAD OR CONTACT", "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("email:evt-2:", "email:evt-3:", "hubspot-email-events: would replay 2", "dry run: nothing was sent")
                .doesNotContain("email:evt-1:", "@");
        // WireMock stands in for both APIs: a dry run asks neither
        assertThat(apis.getAllServeEvents()).isEmpty();
        assertThat(run(env, "parked").out()).contains("total: 3 parked");
    }

    @Test
    void parkedListAndReplayDryRunMaskTheEmailInADispositionKey() throws Exception {
        Map<String, String> env = validEnv();
        String url = "jdbc:h2:file:" + workDir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
        env.put("CLOSEDLOOP_DB_URL", url);
        try (StateStore store = StateStore.open(url, "sa", "", java.time.Clock.systemUTC())) {
            // a Flow 2 disposition is parked under sfId:email (HubSpotDispositionWriter)
            store.parked().park("salesforce-dispositions", "00Q5e00000AbCdEFGH:jürgen@müller.de", "{\"email\":\"jürgen@müller.de\"}",
                    "HubSpot refused sales_rejection_reason", ErrorKind.SKIPPABLE, "INVALID_OPTION");
            store.parked().park("salesforce-dispositions", "00Q5e00000XyZaBCDE:JOSÉ@EXAMPLE.COM", "{\"email\":\"JOSÉ@EXAMPLE.COM\"}",
                    "HubSpot refused sales_rejection_reason", ErrorKind.SKIPPABLE, "INVALID_OPTION");
        }
        Result list = run(env, "parked", "--list");
        Result dryRun = run(env, "replay", "--flow", "salesforce-dispositions", "--dry-run");
        Result header = run(env, "parked", "--show-payload", "1");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(dryRun.exit()).as(dryRun.err()).isZero();
        assertThat(list.out()).contains("00Q5e00000AbCdEFGH:[email]", "00Q5e00000XyZaBCDE:[email]");
        assertThat(dryRun.out()).contains("00Q5e00000AbCdEFGH:[email]", "salesforce-dispositions: would replay 2");
        assertThat(header.err()).contains("00Q5e00000AbCdEFGH:[email]");
        assertThat(list.out() + list.err() + dryRun.out() + dryRun.err() + header.err()).doesNotContain("@", "jürgen", "JOSÉ");
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsOneLineNamingTheKeyAndExits2() throws Exception {
        Map<String, String> env = validEnv();
        env.put("CLOSEDLOOP_DB_URL", "jdbc:postgresql://closedloop:s3cr3t-pw@127.0.0.1:" + TestSettings.freePort() + "/closedloop");
        for (String command : List.of("parked", "run")) {
            Result r = run(env, command);
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(command).startsWith("CLOSEDLOOP_DB_URL: cannot open the state store").doesNotContain("\n");
            assertThat(r.out() + r.err()).as(command).doesNotContain("s3cr3t-pw", "\tat ", "Exception during pool initialization");
        }
    }

    @Test
    void aMistypedOptionValueIsEchoedWithItsEmailMasked() throws Exception {
        Result r = run(Map.of(), "replay", "--until", "pat.lee@acme.example");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--until", "[email]").doesNotContain("pat.lee@acme.example");
    }

    @Test
    void validateStrictFailsWhenAHostCannotBeReached() throws Exception {
        Map<String, String> env = unreachableApisEnv();
        Result r = run(env, "validate", "--strict");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Not ready (2 problems):", "Salesforce login not checked: 127.0.0.1 is not reachable",
                "HubSpot token not checked: 127.0.0.1 is not reachable");
        Result lenient = run(env, "validate");
        assertThat(lenient.exit()).isZero();
        assertThat(lenient.err()).contains("not every check ran; validate --strict fails when a check cannot run");
    }

    @Test
    void validateRefusesPlainHttpToARemoteHostUnlessAllowed() throws Exception {
        Map<String, String> env = validEnv();
        env.remove("CLOSEDLOOP_ALLOW_INSECURE_HTTP");
        Result local = run(env, "validate", "--offline");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.err()).contains("warning: HUBSPOT_BASE_URL: plain http to localhost (this machine)");
        assertThat(local.out()).doesNotContain("plain http");
        env.put("HUBSPOT_BASE_URL", "http://api.hubapi.com");
        Result r = run(env, "validate", "--offline");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("HUBSPOT_BASE_URL: expected an https URL", "CLOSEDLOOP_ALLOW_INSECURE_HTTP=true");
        env.put("CLOSEDLOOP_ALLOW_INSECURE_HTTP", "true");
        assertThat(run(env, "validate", "--offline").exit()).isZero();
    }

    @Test
    void validateWithAnEmptyEnvironmentExits2AndNamesEveryMissingKey() throws Exception {
        Result r = run(Map.of(), "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("HUBSPOT_ACCESS_TOKEN: required", "SALESFORCE_CLIENT_ID: required",
                "SALESFORCE_CLIENT_SECRET: required");
    }

    @Test
    void validateNamesANonNumericHttpPort() throws Exception {
        Map<String, String> env = validEnv();
        env.put("CLOSEDLOOP_HTTP_PORT", "abc");
        Result r = run(env, "validate", "--offline");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("CLOSEDLOOP_HTTP_PORT: expected a port number from 1 to 65535, got \"abc\"");
    }

    @Test
    void validateReportsAMalformedSecretWithoutItsValue() throws Exception {
        Map<String, String> env = validEnv();
        env.put("HUBSPOT_ACCESS_TOKEN", "pat-na1 leaked-part-31337");
        Result r = run(env, "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("HUBSPOT_ACCESS_TOKEN: malformed");
        assertThat(r.out() + r.err()).doesNotContain("leaked-part", "31337");
    }

    /** Salesforce is the in-process emulator, whose schema is the shipped salesforce/ metadata; HubSpot is WireMock. */
    private Map<String, String> emulatedSalesforceEnv(SalesforceEmulator salesforce) {
        apis.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"results\":[]}")));
        Map<String, String> env = validEnv();
        env.put("SALESFORCE_LOGIN_URL", salesforce.baseUrl());
        env.put("SALESFORCE_CLIENT_ID", SalesforceEmulator.Config.defaults().clientId());
        env.put("SALESFORCE_CLIENT_SECRET", SalesforceEmulator.Config.defaults().clientSecret());
        return env;
    }

    @Test
    void validateChecksCredentialsAndTheSalesforceSchemaWhereTheApisAreReachable() throws Exception {
        try (SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0)) {
            Result r = run(emulatedSalesforceEnv(salesforce), "validate");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("ok: configuration", "ok: Salesforce login succeeded", "ok: HubSpot accepted the access token",
                    "ok: Salesforce schema has every object and field Closedloop writes or reads, with the access it needs");
            // the schema check is one Composite request of five describes
            assertThat(salesforce.journal().count("salesforce.composite")).isEqualTo(1);
            assertThat(r.out() + r.err()).doesNotContain(SalesforceEmulator.Config.defaults().clientSecret());
        }
    }

    @Test
    void validateExits2NamingEveryFieldTheOrgLacks() throws Exception {
        try (SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0)) {
            salesforce.org().removeField("Contact", "MQL_At__c");
            salesforce.org().replacePicklistValues("Marketing_Activity__c", "Source__c", "HubSpot Email", "HubSpot Form", "HubSpot CRM");
            Result r = run(emulatedSalesforceEnv(salesforce), "validate");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines().map(String::trim)).contains(
                    "Salesforce schema: Contact.MQL_At__c does not exist or is not visible for the integration user",
                    "Salesforce schema: Marketing_Activity__c.Source__c restricted picklist lacks 'HubSpot List'");
            assertThat(r.out()).contains("ok: Salesforce login succeeded", "fix: deploy the salesforce directory (sf project deploy start)");
        }
    }

    @Test
    void validateExits2NamingTheFieldWhosePermissionWasRemovedFromThePermissionSet() throws Exception {
        try (SalesforceEmulator salesforce = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0)) {
            salesforce.org().permissionSet(SalesforceAccess.packagedWithout("Marketing_Activity__c.Details__c"));
            Result removed = run(emulatedSalesforceEnv(salesforce), "validate");
            assertThat(removed.exit()).isEqualTo(2);
            // (HubSpot here answers no property reads, so validate also warns that not every check ran)
            assertThat(removed.err().lines().map(String::trim).filter(l -> !l.startsWith("warning:"))).containsExactly("Not ready (1 problem):",
                    "Salesforce schema: Marketing_Activity__c.Details__c does not exist or is not visible for the integration user");
            assertThat(removed.out()).contains("fix: deploy the salesforce directory (sf project deploy start) and assign the"
                    + " Closedloop_Integration permission set to the integration user");
            salesforce.org().permissionSet(SalesforceAccess.packagedReadOnly("Lead.Marketing_Summary__c"));
            Result readOnly = run(emulatedSalesforceEnv(salesforce), "validate");
            assertThat(readOnly.exit()).isEqualTo(2);
            assertThat(readOnly.err().lines().map(String::trim))
                    .contains("Salesforce schema: Lead.Marketing_Summary__c is not updateable for the integration user");
        }
    }

    @Test
    void validateFailsWhenCredentialsAreRejected() throws Exception {
        // error bodies: salesforce-api.md §1.4 and hubspot-api.md §1.3
        apis.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}")));
        apis.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(401)
                .withBody("{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                        + "\"correlationId\":\"019f601e-af3d-7912-b920-31130b6240c9\",\"category\":\"INVALID_AUTHENTICATION\"}")));

        Result r = run(validEnv(), "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Salesforce rejected the login (HTTP 400 invalid_client: invalid client credentials)",
                "HUBSPOT_ACCESS_TOKEN: HubSpot rejected the token (HTTP 401 INVALID_AUTHENTICATION)");
        assertThat(r.out() + r.err()).doesNotContain("8A4BE6secretvalue", TOKEN);
    }

    @Test
    void validateOnlyNotesHostsItCannotReach() throws Exception {
        Map<String, String> env = unreachableApisEnv();
        Result r = run(env, "validate");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("skipped: Salesforce login not checked", "skipped: HubSpot token not checked");
    }

    @Test
    void versionAndHelpWorkOnEveryCommand() throws Exception {
        Result version = run(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("closedloop 0.1.0");
        for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"validate", "--help"}, {"help", "validate"},
                {"parked", "--help"}, {"replay", "--help"}}) {
            Result help = run(Map.of(), args);
            assertThat(help.exit()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args)).contains("Usage: closedloop");
        }
        Result validateVersion = run(Map.of(), "validate", "--version");
        assertThat(validateVersion.out()).startsWith("closedloop 0.1.0");
    }

    @Test
    void runWithInvalidConfigurationExits2BeforeStartingAnything() throws Exception {
        Result r = run(Map.of("CLOSEDLOOP_HTTP_PORT", "abc"), "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("CLOSEDLOOP_HTTP_PORT", "HUBSPOT_ACCESS_TOKEN: required");
    }

    @Test
    void runServesHealthAndMetricsAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> env = validEnv();
        int port = TestSettings.freePort();
        env.put("CLOSEDLOOP_HTTP_PORT", Integer.toString(port));
        env.put("LOG_FORMAT", "json");
        Process daemon = start(env, "run");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && daemon.isAlive()) {
            try {
                health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    break;
                }
                // readiness is rightly DOWN while the routes are still starting on a busy machine
                Thread.sleep(250);
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        assertThat(health).as("daemon answered /observe/health; stderr: %s", Files.readString(workDir.resolve("err.txt"))).isNotNull();
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        // the default H2 state store lives under ./data
        assertThat(workDir.resolve("data")).isDirectory();

        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Result r = result(daemon);
        // JSON log lines, no secrets
        assertThat(r.out().lines().filter(l -> !l.isBlank())).allSatisfy(l -> assertThat(l).startsWith("{"));
        assertThat(r.out() + r.err()).doesNotContain(TOKEN, "8A4BE6secretvalue");
    }
}
