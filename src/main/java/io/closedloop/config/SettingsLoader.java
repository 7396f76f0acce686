package io.closedloop.config;

import static io.closedloop.config.SettingKey.*;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings from the properties file, then the environment, then {@code NAME_FILE} secrets
 * (each source overrides the one before), and validates them all at once so that every problem
 * is reported in one go. Problem lines name the key and never contain a secret value.
 */
public final class SettingsLoader {
    public static final Path DEFAULT_CONFIG_FILE = Path.of("config", "application.properties");
    static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/closedloop;DB_CLOSE_ON_EXIT=FALSE";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern API_VERSION = Pattern.compile("\\d{2,3}\\.0");
    private static final Pattern LIST_ID = Pattern.compile("\\d{1,19}");
    private static final Pattern TOKEN_CHARS = Pattern.compile("[\\x21-\\x7E]+");
    private static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration MIN_RETENTION = Duration.ofHours(1);

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Properties file = new Properties();

    private SettingsLoader(Map<String, String> env) {
        this.env = env;
    }

    /**
     * @param configFile the file given with {@code --config}, or null for the default
     *                   {@code config/application.properties}, which may be absent
     */
    public static ClosedloopSettings load(Path configFile, Map<String, String> env) {
        return new SettingsLoader(env).build(configFile);
    }

    /** Settings from the environment map alone (the sandbox builds its own, like a deployment's env). */
    public static ClosedloopSettings loadEnvironmentOnly(Map<String, String> env) {
        return new SettingsLoader(env).build(null, false);
    }

    private ClosedloopSettings build(Path explicitConfig) {
        return build(explicitConfig, true);
    }

    private ClosedloopSettings build(Path explicitConfig, boolean useFile) {
        Path configFile = explicitConfig != null ? explicitConfig : DEFAULT_CONFIG_FILE;
        if (useFile) {
            readFile(configFile, explicitConfig != null);
        }

        URI hubspotBaseUrl = httpUrl(HUBSPOT_BASE_URL);
        Secret hubspotToken = token(HUBSPOT_ACCESS_TOKEN, "HubSpot private app access token");
        List<String> listIds = listIds(HUBSPOT_LIST_IDS);
        URI loginUrl = httpUrl(SALESFORCE_LOGIN_URL);
        SalesforceAuth auth = salesforceAuth();
        String apiVersion = matching(SALESFORCE_API_VERSION, API_VERSION, "an API version such as 62.0");
        String dbUrl = dbUrl();
        String dbUser = raw(CLOSEDLOOP_DB_USER);
        Secret dbPassword = secret(CLOSEDLOOP_DB_PASSWORD);
        int httpPort = port(CLOSEDLOOP_HTTP_PORT);
        Duration pollInterval = duration(CLOSEDLOOP_POLL_INTERVAL);
        ClosedloopSettings.LogFormat logFormat = logFormat();
        String prefer = oneOf(CLOSEDLOOP_IDENTITY_PREFER, "contact", "lead");
        String duplicates = oneOf(CLOSEDLOOP_DUPLICATE_POLICY, "most-recently-modified", "oldest", "park");
        FieldMapping fieldMapping = fieldMapping();
        KeyMoments keyMoments = keyMoments();
        DispositionRules dispositionRules = dispositionRules();
        String unmatchedMql = oneOf(CLOSEDLOOP_UNMATCHED_MQL, "park", "create-lead");
        Duration parkedRetention = retention(CLOSEDLOOP_PARKED_RETENTION);
        int burst = burstPer10s(HUBSPOT_BURST_PER_10S);
        DailyBudget hubspotDaily = dailyBudget(HUBSPOT_DAILY_BUDGET);
        int salesforceShare = percentage(SALESFORCE_DAILY_SHARE);

        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new ClosedloopSettings(hubspotBaseUrl, hubspotToken, loginUrl, auth, apiVersion, dbUrl, dbUser,
                dbPassword == null ? Secret.of("") : dbPassword, httpPort, pollInterval, logFormat,
                useFile && Files.isRegularFile(configFile) ? configFile : null, !"lead".equals(prefer),
                ClosedloopSettings.DuplicatePolicy.valueOf(duplicates.toUpperCase(Locale.ROOT).replace('-', '_')), fieldMapping,
                keyMoments, "create-lead".equals(unmatchedMql), listIds, dispositionRules, parkedRetention, burst, hubspotDaily,
                salesforceShare);
    }

    private void readFile(Path path, boolean mustExist) {
        if (!Files.exists(path)) {
            if (mustExist) {
                problems.add("--config: file not found: " + path);
            }
            return;
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            file.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("--config: cannot read " + path + ": " + e.getClass().getSimpleName());
        }
    }

    /** The effective raw value: env NAME_FILE over env NAME over the properties file over the default. */
    private String raw(SettingKey key) {
        String fileEnv = key.secret() ? blankToNull(env.get(key.fileEnv())) : null;
        String direct = blankToNull(env.get(key.env()));
        if (fileEnv != null) {
            if (direct != null) {
                problems.add(key.env() + ": set either " + key.env() + " or " + key.fileEnv() + ", not both");
                return null;
            }
            try {
                return stripTrailingNewlines(Files.readString(Path.of(fileEnv), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                problems.add(key.fileEnv() + ": cannot read secret file " + fileEnv + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        if (direct != null) {
            return direct.trim();
        }
        String fromFile = blankToNull(file.getProperty(key.property()));
        if (fromFile != null) {
            return fromFile.trim();
        }
        return key.defaultValue();
    }

    private String required(SettingKey key, String meaning) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            if (!alreadyReported(key)) {
                String hint = key.secret() ? " (or " + key.fileEnv() + ")" : "";
                problems.add(key.env() + ": required: " + meaning + hint);
            }
            return null;
        }
        return value;
    }

    private boolean alreadyReported(SettingKey key) {
        return problems.stream().anyMatch(p -> p.startsWith(key.env() + ":") || p.startsWith(key.fileEnv() + ":"));
    }

    private URI httpUrl(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(key.env() + ": expected an http(s) URL such as " + key.defaultValue() + ", got \"" + value + "\"");
        return null;
    }

    private Secret token(SettingKey key, String meaning) {
        String value = required(key, meaning);
        if (value == null) {
            return null;
        }
        if (!TOKEN_CHARS.matcher(value).matches() || value.length() < 8) {
            problems.add(key.env() + ": malformed: expected a " + meaning
                    + " (at least 8 printable characters, no spaces or line breaks); value not shown");
            return null;
        }
        return Secret.of(value);
    }

    private Secret secret(SettingKey key) {
        String value = raw(key);
        return value == null ? null : Secret.of(value);
    }

    private SalesforceAuth salesforceAuth() {
        String clientId = required(SALESFORCE_CLIENT_ID, "consumer key of the Salesforce connected app");
        if (clientId != null && !TOKEN_CHARS.matcher(clientId).matches()) {
            problems.add(SALESFORCE_CLIENT_ID.env() + ": malformed: expected a consumer key with no spaces");
            clientId = null;
        }
        String secret = raw(SALESFORCE_CLIENT_SECRET);
        String username = raw(SALESFORCE_USERNAME);
        String keyFile = raw(SALESFORCE_JWT_KEY_FILE);
        boolean jwtWanted = username != null || keyFile != null;

        if (secret != null && jwtWanted) {
            problems.add(SALESFORCE_CLIENT_SECRET.env() + ": configure one Salesforce login flow: either "
                    + "SALESFORCE_CLIENT_SECRET (client credentials) or SALESFORCE_USERNAME + SALESFORCE_JWT_KEY_FILE (JWT bearer)");
            return null;
        }
        if (jwtWanted) {
            if (username == null) {
                problems.add(SALESFORCE_USERNAME.env() + ": required with SALESFORCE_JWT_KEY_FILE (JWT bearer flow): the Salesforce username to act as");
            }
            RSAPrivateKey key = null;
            if (keyFile == null) {
                problems.add(SALESFORCE_JWT_KEY_FILE.env() + ": required with SALESFORCE_USERNAME (JWT bearer flow): path to the connected app's PEM private key");
            } else {
                key = readPrivateKey(Path.of(keyFile));
            }
            return clientId == null || username == null || key == null ? null
                    : new SalesforceAuth.JwtBearer(clientId, username, Path.of(keyFile), key);
        }
        if (secret == null) {
            if (!alreadyReported(SALESFORCE_CLIENT_SECRET)) {
                problems.add(SALESFORCE_CLIENT_SECRET.env() + ": required (or SALESFORCE_CLIENT_SECRET_FILE): consumer secret for the "
                        + "client-credentials flow; for the JWT bearer flow set SALESFORCE_USERNAME and SALESFORCE_JWT_KEY_FILE instead");
            }
            return null;
        }
        if (!TOKEN_CHARS.matcher(secret).matches()) {
            problems.add(SALESFORCE_CLIENT_SECRET.env() + ": malformed: expected a consumer secret with no spaces or line breaks; value not shown");
            return null;
        }
        return clientId == null ? null : new SalesforceAuth.ClientCredentials(clientId, Secret.of(secret));
    }

    private RSAPrivateKey readPrivateKey(Path path) {
        String pem;
        try {
            pem = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            problems.add(SALESFORCE_JWT_KEY_FILE.env() + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        Matcher m = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----").matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY")
                    ? " (this is PKCS#1: convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem')" : "";
            problems.add(SALESFORCE_JWT_KEY_FILE.env() + ": malformed: " + path + " is not a PEM PKCS#8 RSA private key" + hint + "; contents not shown");
            return null;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            problems.add(SALESFORCE_JWT_KEY_FILE.env() + ": malformed: " + path + " does not hold a valid RSA private key; contents not shown");
            return null;
        }
    }

    private String matching(SettingKey key, Pattern pattern, String expected) {
        String value = required(key, key.description());
        if (value != null && !pattern.matcher(value).matches()) {
            problems.add(key.env() + ": expected " + expected + ", got \"" + value + "\"");
            return null;
        }
        return value;
    }

    private String dbUrl() {
        String value = required(CLOSEDLOOP_DB_URL, CLOSEDLOOP_DB_URL.description());
        if (value != null && !(value.startsWith("jdbc:h2:") || value.startsWith("jdbc:postgresql:"))) {
            problems.add(CLOSEDLOOP_DB_URL.env() + ": expected a jdbc:h2: or jdbc:postgresql: URL, got \"" + redactUrl(value) + "\"");
            return null;
        }
        return value;
    }

    /** JDBC URLs may carry a password parameter; never echo it back. */
    private static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /** Comma-separated numeric ids, blanks between commas ignored, duplicates dropped; every bad id is named. */
    private List<String> listIds(SettingKey key) {
        String value = raw(key);
        List<String> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        for (String part : value.split(",")) {
            String id = part.trim();
            if (id.isEmpty() || ids.contains(id)) {
                continue;
            }
            if (!LIST_ID.matcher(id).matches()) {
                problems.add(key.env() + ": expected comma-separated numeric HubSpot list ids such as 1234,5678, got \"" + id + "\"");
                continue;
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private int port(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return 0;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key.env() + ": expected a port number from 1 to 65535, got \"" + value + "\"");
        return 0;
    }

    /** HubSpot's burst limit is at most 250 per 10 s (with the API pack): more cannot help. */
    private int burstPer10s(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 250) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key.env() + ": expected a number of calls from 1 to 250 (HubSpot's burst limit per 10 s), got \"" + value + "\"");
        return 100;
    }

    /** A number of calls ({@code 200000}) or a percentage ({@code 50%}) of the daily allowance. */
    private DailyBudget dailyBudget(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return DailyBudget.ofPercent(50);
        }
        if (value.endsWith("%")) {
            int percent = percentage(key, value);
            return DailyBudget.ofPercent(percent);
        }
        try {
            long calls = Long.parseLong(value);
            if (calls >= 1) {
                return DailyBudget.ofCalls(calls);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key.env() + ": expected a number of calls such as 200000 or a percentage such as 50%, got \"" + value + "\"");
        return DailyBudget.ofPercent(50);
    }

    private int percentage(SettingKey key) {
        String value = required(key, key.description());
        return value == null ? 50 : percentage(key, value);
    }

    /** {@code 50%} or {@code 50}: from 1 to 100. */
    private int percentage(SettingKey key, String value) {
        String digits = value.endsWith("%") ? value.substring(0, value.length() - 1).trim() : value;
        try {
            int n = Integer.parseInt(digits);
            if (n >= 1 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key.env() + ": expected a percentage from 1% to 100% such as 50%, got \"" + value + "\"");
        return 50;
    }

    private Duration duration(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return null;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(MIN_POLL_INTERVAL) < 0) {
            problems.add(key.env() + ": expected a duration of at least 100ms such as 30s, 5m or PT1M, got \"" + value + "\"");
            return null;
        }
        return parsed;
    }

    private Duration retention(SettingKey key) {
        String value = required(key, key.description());
        if (value == null) {
            return null;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(MIN_RETENTION) < 0) {
            problems.add(key.env() + ": expected a duration of at least 1h such as 30d, 12h or P30D, got \"" + value + "\"");
            return null;
        }
        return parsed;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601 ({@code PT30S}); null if neither. */
    public static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private ClosedloopSettings.LogFormat logFormat() {
        String value = required(LOG_FORMAT, LOG_FORMAT.description());
        if (value == null) {
            return null;
        }
        try {
            return ClosedloopSettings.LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(LOG_FORMAT.env() + ": expected plain or json, got \"" + value + "\"");
            return null;
        }
    }

    private String oneOf(SettingKey key, String... allowed) {
        String value = required(key, key.description());
        if (value == null) {
            return allowed[0];
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!java.util.Arrays.asList(allowed).contains(lower)) {
            problems.add(key.env() + ": expected one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
            return allowed[0];
        }
        return lower;
    }

    private KeyMoments keyMoments() {
        java.util.EnumSet<io.closedloop.core.ActivityType> types = java.util.EnumSet.noneOf(io.closedloop.core.ActivityType.class);
        String value = raw(CLOSEDLOOP_KEY_MOMENTS);
        for (String token : value == null ? new String[0] : value.split(",")) {
            String name = token.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            try {
                types.add(io.closedloop.core.ActivityType.valueOf(name));
            } catch (IllegalArgumentException e) {
                problems.add(CLOSEDLOOP_KEY_MOMENTS.env() + ": unknown activity type \"" + token.trim() + "\"; expected some of "
                        + KeyMoments.allowed());
            }
        }
        String pages = raw(CLOSEDLOOP_KEY_MOMENT_PAGES);
        List<String> paths = new ArrayList<>();
        for (String token : pages == null ? new String[0] : pages.split(",")) {
            String path = token.trim();
            if (path.isEmpty()) {
                continue;
            }
            if (!path.startsWith("/") || path.contains(" ")) {
                problems.add(CLOSEDLOOP_KEY_MOMENT_PAGES.env() + ": expected page paths starting with /, got \"" + path + "\"");
            } else {
                paths.add(path.toLowerCase(Locale.ROOT));
            }
        }
        return new KeyMoments(types, paths);
    }

    private DispositionRules dispositionRules() {
        String value = raw(CLOSEDLOOP_DISPOSITION_FILE);
        Path path = Path.of(value == null ? CLOSEDLOOP_DISPOSITION_FILE.defaultValue() : value);
        boolean explicit = value != null && !value.equals(CLOSEDLOOP_DISPOSITION_FILE.defaultValue());
        if (explicit && !Files.exists(path)) {
            problems.add(CLOSEDLOOP_DISPOSITION_FILE.env() + ": file not found: " + path);
            return DispositionRules.defaults();
        }
        try {
            return DispositionRules.load(path);
        } catch (SettingsException e) {
            e.problems().forEach(p -> problems.add(CLOSEDLOOP_DISPOSITION_FILE.env() + ": " + p));
            return DispositionRules.defaults();
        }
    }

    private FieldMapping fieldMapping() {
        String value = raw(CLOSEDLOOP_FIELD_MAPPING_FILE);
        Path path = Path.of(value == null ? CLOSEDLOOP_FIELD_MAPPING_FILE.defaultValue() : value);
        boolean explicit = value != null && !value.equals(CLOSEDLOOP_FIELD_MAPPING_FILE.defaultValue());
        if (explicit && !Files.exists(path)) {
            problems.add(CLOSEDLOOP_FIELD_MAPPING_FILE.env() + ": file not found: " + path);
            return FieldMapping.defaults();
        }
        try {
            return FieldMapping.load(path);
        } catch (SettingsException e) {
            e.problems().forEach(p -> problems.add(CLOSEDLOOP_FIELD_MAPPING_FILE.env() + ": " + p));
            return FieldMapping.defaults();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String stripTrailingNewlines(String s) {
        return s.replaceAll("[\\r\\n]+$", "");
    }
}
