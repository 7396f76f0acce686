package io.closedloop.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed values read from the sources and checked: URLs, tokens, numbers in a range, budgets, durations, choices
 * and id lists. A bad value is reported as {@code KEY: expected ..., got "value"} (secrets not shown) and
 * yields a fallback so that the other keys are still checked.
 */
final class SettingValues {
    private static final Pattern LIST_ID = Pattern.compile("\\d{1,19}");
    static final Pattern TOKEN_CHARS = Pattern.compile("[\\x21-\\x7E]+");
    /** localhost, 127.0.0.0/8 and ::1, by name only: no lookup while settings load. */
    private static final Pattern LOOPBACK = Pattern.compile("(?i)localhost|.+\\.localhost|127(?:\\.\\d{1,3}){3}|\\[(?:0*:)*:?0*1]");

    private static final Pattern BIND_ADDRESS = Pattern.compile("[0-9A-Za-z.-]{1,253}|[0-9A-Fa-f:.]{2,45}");

    private final SettingSources sources;
    private final SettingProblems problems;

    SettingValues(SettingSources sources, SettingProblems problems) {
        this.sources = sources;
        this.problems = problems;
    }

    String raw(SettingKey key) {
        return sources.raw(key);
    }

    private String required(SettingKey key) {
        return sources.required(key, key.description());
    }

    private void expected(SettingKey key, String expected, String value) {
        problems.add(key, "expected " + expected + ", got \"" + value + "\"");
    }

    /** An http(s) URL; plain http only to this machine (with a warning) unless {@code allowInsecure}. */
    URI httpUrl(SettingKey key, boolean allowInsecure) {
        String value = required(key);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                if ("http".equals(uri.getScheme()) && !allowInsecure && !plainHttpAllowed(key, uri.getHost())) {
                    return null;
                }
                return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        expected(key, "an http(s) URL such as " + key.defaultValue(), value);
        return null;
    }

    /** Credentials travel on these URLs: unencrypted only to this machine (emulators, a local proxy), and said so. */
    private boolean plainHttpAllowed(SettingKey key, String host) {
        if (LOOPBACK.matcher(host).matches()) {
            problems.warn(key, "plain http to " + host + " (this machine)");
            return true;
        }
        problems.add(key, "expected an https URL: plain http to " + host + " would send credentials unencrypted (set "
                + SettingKey.CLOSEDLOOP_ALLOW_INSECURE_HTTP.env() + "=true to allow it)");
        return false;
    }

    Secret token(SettingKey key, String meaning) {
        String value = sources.required(key, meaning);
        if (value == null) {
            return null;
        }
        if (!TOKEN_CHARS.matcher(value).matches() || value.length() < 8) {
            problems.add(key, "malformed: expected a " + meaning
                    + " (at least 8 printable characters, no spaces or line breaks); value not shown");
            return null;
        }
        return Secret.of(value);
    }

    /** An optional token of at least {@code minLength} printable characters; empty when unset. */
    Secret optionalToken(SettingKey key, int minLength) {
        String value = raw(key);
        if (value == null || value.isEmpty()) {
            return Secret.of("");
        }
        if (!TOKEN_CHARS.matcher(value).matches() || value.length() < minLength) {
            problems.add(key, "malformed: expected at least " + minLength + " printable characters, no spaces or line breaks; value not shown");
            return Secret.of("");
        }
        return Secret.of(value);
    }

    /** An address to listen on: an IPv4 or IPv6 literal or a host name, never a URL or a port. */
    String bindAddress(SettingKey key) {
        String value = required(key);
        if (value != null && !BIND_ADDRESS.matcher(value).matches()) {
            expected(key, "an address to listen on such as 127.0.0.1 or 0.0.0.0", value);
            return null;
        }
        return value;
    }

    /** An optional secret; empty when unset. */
    Secret secret(SettingKey key) {
        String value = raw(key);
        return Secret.of(value == null ? "" : value);
    }

    String matching(SettingKey key, Pattern pattern, String expected) {
        String value = required(key);
        if (value != null && !pattern.matcher(value).matches()) {
            expected(key, expected, value);
            return null;
        }
        return value;
    }

    String dbUrl(SettingKey key) {
        String value = required(key);
        if (value != null && !(value.startsWith("jdbc:h2:") || value.startsWith("jdbc:postgresql:"))) {
            expected(key, "a jdbc:h2: or jdbc:postgresql: URL", SettingKey.redactUrl(value));
            return null;
        }
        return value;
    }

    /** Comma-separated numeric ids, blanks between commas ignored, duplicates dropped; every bad id is named. */
    List<String> listIds(SettingKey key) {
        List<String> ids = new ArrayList<>();
        for (String id : commaSeparated(key)) {
            if (ids.contains(id)) {
                continue;
            }
            if (!LIST_ID.matcher(id).matches()) {
                expected(key, "comma-separated numeric HubSpot list ids such as 1234,5678", id);
                continue;
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    /** The trimmed, non-blank items of a comma-separated value. */
    List<String> commaSeparated(SettingKey key) {
        String value = raw(key);
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A whole number from min to max; {@code expected} says so in the key's own words. */
    int intInRange(SettingKey key, int min, int max, int fallback, String expected) {
        String value = required(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        expected(key, expected, value);
        return fallback;
    }

    /** A number of calls ({@code 200000}) or a percentage ({@code 50%}) of the daily allowance. */
    DailyBudget dailyBudget(SettingKey key) {
        String value = required(key);
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
        expected(key, "a number of calls such as 200000 or a percentage such as 50%", value);
        return DailyBudget.ofPercent(50);
    }

    int percentage(SettingKey key) {
        String value = required(key);
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
        expected(key, "a percentage from 1% to 100% such as 50%", value);
        return 50;
    }

    /** A duration of at least {@code min}; {@code expected} gives the minimum and examples. */
    Duration duration(SettingKey key, Duration min, String expected) {
        String value = required(key);
        if (value == null) {
            return null;
        }
        Duration parsed = Durations.parse(value);
        if (parsed == null || parsed.compareTo(min) < 0) {
            expected(key, expected, value);
            return null;
        }
        if (parsed.compareTo(Durations.MAX) > 0) {
            expected(key, expected + ", at most " + Durations.MAX.toDays() + "d", value);
            return null;
        }
        return parsed;
    }

    ClosedloopSettings.LogFormat logFormat(SettingKey key) {
        String value = required(key);
        if (value == null) {
            return null;
        }
        try {
            return ClosedloopSettings.LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            expected(key, "plain or json", value);
            return null;
        }
    }

    /** One of the allowed words, in lower case; the first when unset or wrong. */
    String oneOf(SettingKey key, String... allowed) {
        String value = required(key);
        if (value == null) {
            return allowed[0];
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(lower)) {
            expected(key, "one of " + String.join(", ", allowed), value);
            return allowed[0];
        }
        return lower;
    }
}
