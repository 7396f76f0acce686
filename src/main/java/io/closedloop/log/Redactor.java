package io.closedloop.log;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction layer: every log line, exception message and stack trace passes through
 * {@link #redact(String)} on its way out, whatever the log format. It masks the configured secret
 * values, anything shaped like an access token, client secret or JWT assertion, and email addresses.
 */
public final class Redactor {
    public static final String MASK = "****";
    public static final String EMAIL_MASK = "[email]";

    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

    /** The characters of an email's local part, in any script (RFC 6531). */
    private static final String LOCAL = "\\p{L}\\p{M}\\p{N}._%+'!#$&*=?^`{|}~-";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // "Authorization: Bearer xyz" and "Bearer xyz" anywhere
            new Rule(Pattern.compile("(?i)\\b(bearer|OAuth)\\s+[A-Za-z0-9._~+/!=-]{6,}"), "$1 " + MASK),
            // key=value and "key":"value" forms of token-bearing fields (form bodies, query strings, JSON)
            new Rule(Pattern.compile("(?i)(\\\\?\"?(?:access_token|refresh_token|id_token|client_secret|assertion|password|"
                    + "hapikey|api_key|apikey|token|secret)\\\\?\"?\\s*[:=]\\s*\\\\?\"?)([^\\s\"'&,;}\\\\]+)"), "$1" + MASK),
            // JWTs (header.claims.signature, base64url)
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), MASK),
            // HubSpot private app tokens
            new Rule(Pattern.compile("\\bpat-[a-z0-9]{2,4}-[0-9a-fA-F-]{16,}"), MASK),
            // Salesforce session ids: org id, '!', session token
            new Rule(Pattern.compile("\\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+"), MASK),
            // user:password@ in a URL (JDBC, proxies); before the email rule, which would keep the user name and skips the mask
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]+@"), "$1" + MASK + "@"),
            // email addresses in any script and case (RFC 6531 allows non-ASCII on both sides), plain and URL-encoded
            new Rule(Pattern.compile("(?<![" + LOCAL + "])(?!\\*+@)[" + LOCAL + "]+@[\\p{L}\\p{M}\\p{N}-]+(?:\\.[\\p{L}\\p{M}\\p{N}-]+)*"
                    + "\\.(?:[\\p{L}\\p{M}]{2,}|xn--[A-Za-z0-9-]+)"), EMAIL_MASK),
            new Rule(Pattern.compile("(?i)[\\p{L}\\p{N}._+'!%-]+%40[\\p{L}\\p{N}%-]+(?:\\.[\\p{L}\\p{N}%-]+)*\\.(?:[\\p{L}]{2,}|(?:%[0-9a-f]{2})+)"),
                    EMAIL_MASK));

    private Redactor() {
    }

    /** Registers a configured secret value so it is masked verbatim wherever it appears. */
    public static void registerSecret(String value) {
        if (value != null && value.length() >= 4) {
            SECRETS.add(value);
        }
    }

    public static void registerSecrets(Iterable<String> values) {
        values.forEach(Redactor::registerSecret);
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement());
            }
        }
        return out;
    }
}
