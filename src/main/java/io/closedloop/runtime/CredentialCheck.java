package io.closedloop.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SalesforceAuth;
import io.closedloop.config.DispositionMappingCheck;
import io.closedloop.config.SettingKey;
import io.closedloop.salesforce.SalesforceJwtAssertion;
import io.closedloop.salesforce.SalesforceSchemaCheck;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.SyncException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code validate} command's live checks: one Salesforce token grant, then the Salesforce schema check (one
 * Composite call), and one cheap HubSpot read. A host that cannot be reached is a note, not a problem; rejected
 * credentials and a schema that lacks what Closedloop writes are problems.
 */
public final class CredentialCheck {
    /** Outcome lines: problems fail validation, notes are informational. */
    public record Result(List<String> problems, List<String> notes) {
        /** The checks that could not run (host unreachable, 5xx), without the note's prefix. */
        public List<String> skipped() {
            return notes.stream().filter(n -> n.startsWith(SKIPPED)).map(n -> n.substring(SKIPPED.length())).toList();
        }
    }

    private static final String SKIPPED = "skipped: ";
    /** Prefix of a note that needs a look but does not fail validation. */
    public static final String WARNING = "warning: ";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Clock clock;

    public CredentialCheck(Clock clock) {
        this.clock = clock;
    }

    public Result check(ClosedloopSettings settings) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean salesforce = checkSalesforce(settings, problems, notes);
        boolean hubspot = checkHubSpot(settings, problems, notes);
        if (salesforce) {
            checkOrg(settings, hubspot, problems, notes);
        }
        return new Result(problems, notes);
    }

    /** @return whether the login succeeded, so the org can be read */
    private boolean checkSalesforce(ClosedloopSettings s, List<String> problems, List<String> notes) {
        Map<String, String> form = new LinkedHashMap<>();
        String key;
        if (s.salesforceAuth() instanceof SalesforceAuth.ClientCredentials cc) {
            form.put("grant_type", "client_credentials");
            form.put("client_id", cc.clientId());
            form.put("client_secret", cc.clientSecret().reveal());
            key = "SALESFORCE_CLIENT_ID/SALESFORCE_CLIENT_SECRET";
        } else {
            SalesforceAuth.JwtBearer jwt = (SalesforceAuth.JwtBearer) s.salesforceAuth();
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            form.put("assertion", SalesforceJwtAssertion.create(jwt.clientId(), jwt.username(), s.salesforceLoginUrl(),
                    jwt.privateKey(), clock.instant()));
            key = "SALESFORCE_CLIENT_ID/SALESFORCE_USERNAME/SALESFORCE_JWT_KEY_FILE";
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI tokenUrl = URI.create(s.salesforceLoginUrl() + "/services/oauth2/token");
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = parse(response.body());
            if (response.statusCode() == 200 && json.hasNonNull("access_token") && json.hasNonNull("instance_url")) {
                notes.add("ok: Salesforce login succeeded at " + tokenUrl.getHost() + " (instance "
                        + URI.create(json.get("instance_url").asText()).getHost() + ")");
                return true;
            } else if (response.statusCode() >= 500) {
                notes.add(SKIPPED + "Salesforce login not checked: " + tokenUrl.getHost() + " answered HTTP " + response.statusCode());
            } else {
                problems.add(key + ": Salesforce rejected the login (HTTP " + response.statusCode() + " "
                        + json.path("error").asText("") + ": " + json.path("error_description").asText("") + ")");
            }
        } catch (IOException e) {
            notes.add(unreachable("Salesforce login", tokenUrl, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * The checks that read the org, from one Composite of describes through the same camel-salesforce login {@code run}
     * uses: the schema and access every flow needs, then the disposition mapping against the org's picklists (and,
     * when HubSpot answered, against the portal's options).
     */
    private static void checkOrg(ClosedloopSettings s, boolean hubspotOk, List<String> problems, List<String> notes) {
        try (OrgDiscovery org = new OrgDiscovery(s)) {
            List<String> found = new SalesforceSchemaCheck(org.salesforce(), s.fieldMapping(),
                    new SalesforceSchemaCheck.Needs(s.keyMoments().enabled(), s.createLeadsForUnmatchedMqls(), true,
                            s.campaignSync().enabled()))
                    .problems(org.describes());
            if (found.isEmpty()) {
                notes.add("ok: Salesforce schema has every object and field Closedloop writes or reads, with the access it needs");
            } else {
                found.forEach(p -> problems.add("Salesforce schema: " + p));
                notes.add("fix: " + SalesforceSchemaCheck.fix(found));
            }
            DispositionMappingCheck.Result mapping = org.mappingCheck(hubspotOk ? hubspotOptions(org, notes) : null);
            mapping.problems().forEach(p -> problems.add(SettingKey.CLOSEDLOOP_DISPOSITION_FILE.name() + ": " + p));
            mapping.warnings().forEach(w -> notes.add(WARNING + w));
            if (mapping.problems().isEmpty()) {
                notes.add("ok: disposition mapping fits the org's " + org.profile().leadStatuses().size() + " Lead statuses");
            }
        } catch (SyncException e) {
            String line = "Salesforce org not checked: " + e.getMessage();
            if (e.kind() == ErrorKind.RETRIABLE) {
                notes.add(SKIPPED + line);
            } else {
                problems.add(line);
            }
        }
    }

    private static io.closedloop.core.HubSpotOptions hubspotOptions(OrgDiscovery org, List<String> notes) {
        try {
            return org.hubspotOptions();
        } catch (SyncException e) {
            notes.add(SKIPPED + "HubSpot property options not checked: " + e.getMessage());
            return null;
        }
    }

    /** @return false when HubSpot rejected the token; a check that could not run leaves the options read to try */
    private boolean checkHubSpot(ClosedloopSettings s, List<String> problems, List<String> notes) {
        URI url = URI.create(s.hubspotBaseUrl() + "/crm/v3/objects/contacts?limit=1");
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + s.hubspotAccessToken().reveal()).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            JsonNode json = parse(response.body());
            if (status == 200) {
                notes.add("ok: HubSpot accepted the access token at " + url.getHost());
                return true;
            } else if (status == 401) {
                problems.add("HUBSPOT_ACCESS_TOKEN: HubSpot rejected the token (HTTP 401 " + json.path("category").asText("") + ")");
            } else if (status == 403) {
                problems.add("HUBSPOT_ACCESS_TOKEN: the private app lacks a scope (HTTP 403 " + json.path("category").asText("")
                        + "); Closedloop needs crm.objects.contacts.read/write, crm.schemas.contacts.read/write, content, forms, crm.lists.read");
            } else {
                notes.add(SKIPPED + "HubSpot token not checked: " + url.getHost() + " answered HTTP " + status);
                return true;
            }
        } catch (IOException e) {
            notes.add(unreachable("HubSpot token", url, e));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static String unreachable(String what, URI url, IOException e) {
        String why = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
        return SKIPPED + what + " not checked: " + url.getHost() + " is not reachable (" + why + ")";
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
