package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** One search filter (§4) compiled against the property's type: numbers and datetimes compare as numbers, strings case-insensitively, enumerations exactly. */
final class HubSpotSearchFilter implements Predicate<HubSpotContact> {
    enum Kind { STRING, ENUMERATION, NUMBER, DATETIME }

    private final String property;
    private final String operator;
    private final Kind kind;
    private final String value;
    private final String highValue;
    private final List<String> values;
    private final Pattern token;

    private HubSpotSearchFilter(String property, String operator, Kind kind, String value, String highValue, List<String> values) {
        this.property = property;
        this.operator = operator;
        this.kind = kind;
        this.value = value;
        this.highValue = highValue;
        this.values = values;
        this.token = operator.endsWith("CONTAINS_TOKEN") && value != null ? tokenPattern(value) : null;
    }

    /** Parses a filter; {@code error} receives a message for each problem, a problem means a 400. */
    static HubSpotSearchFilter parse(JsonNode f, Map<String, Map<String, Object>> definitions, boolean allowIsoDates, ErrorSink error) {
        String property = HubSpotJson.text(HubSpotJson.path(f, "propertyName"));
        String operator = HubSpotJson.text(HubSpotJson.path(f, "operator"));
        if (property == null || operator == null) {
            throw error.fail("Each filter needs propertyName and operator");
        }
        Map<String, Object> def = definitions.get(property);
        Kind kind = kindOf(def);
        String value = HubSpotJson.text(HubSpotJson.path(f, "value"));
        String high = HubSpotJson.text(HubSpotJson.path(f, "highValue"));
        List<String> values = new ArrayList<>();
        HubSpotJson.path(f, "values").forEach(v -> values.add(HubSpotJson.text(v)));
        switch (operator) {
            case "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN" -> {
                if (value == null) {
                    throw error.fail("Operator " + operator + " on " + property + " needs a value");
                }
            }
            case "BETWEEN" -> {
                if (value == null || high == null) {
                    throw error.fail("Operator BETWEEN on " + property + " needs value and highValue");
                }
            }
            case "IN", "NOT_IN" -> {
                if (values.isEmpty()) {
                    throw error.fail("Operator " + operator + " on " + property + " needs values");
                }
            }
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
            }
            default -> throw error.fail("Unknown filter operator " + operator);
        }
        if (kind == Kind.DATETIME || kind == Kind.NUMBER) {
            List<String> all = new ArrayList<>(values);
            if (value != null && !operator.endsWith("CONTAINS_TOKEN")) {
                all.add(value);
            }
            if (high != null) {
                all.add(high);
            }
            for (String v : all) {
                if (number(v, kind, allowIsoDates) == null) {
                    throw error.fail(kind == Kind.DATETIME
                            ? "Invalid datetime value '" + v + "' for " + property + ": send epoch milliseconds"
                            : "Invalid number value '" + v + "' for " + property);
                }
            }
        }
        return new HubSpotSearchFilter(property, operator, kind, value, high, values);
    }

    /** Lets the handler build its own 400. */
    interface ErrorSink {
        RuntimeException fail(String message);
    }

    static Kind kindOf(Map<String, Object> def) {
        if (def == null) {
            return Kind.STRING;
        }
        return switch (String.valueOf(def.get("type"))) {
            case "number" -> Kind.NUMBER;
            case "datetime", "date" -> Kind.DATETIME;
            case "enumeration", "bool" -> Kind.ENUMERATION;
            default -> Kind.STRING;
        };
    }

    @Override
    public boolean test(HubSpotContact c) {
        String actual = c.get(property);
        boolean present = actual != null && !actual.isEmpty();
        return switch (operator) {
            case "HAS_PROPERTY" -> present;
            case "NOT_HAS_PROPERTY" -> !present;
            case "EQ" -> present && cmp(actual, value) == 0;
            case "NEQ" -> !present || cmp(actual, value) != 0;
            case "LT" -> present && cmp(actual, value) < 0;
            case "LTE" -> present && cmp(actual, value) <= 0;
            case "GT" -> present && cmp(actual, value) > 0;
            case "GTE" -> present && cmp(actual, value) >= 0;
            case "BETWEEN" -> present && cmp(actual, value) >= 0 && cmp(actual, highValue) <= 0;
            case "IN" -> present && in(actual);
            case "NOT_IN" -> !present || !in(actual);
            case "CONTAINS_TOKEN" -> present && containsToken(actual);
            case "NOT_CONTAINS_TOKEN" -> !present || !containsToken(actual);
            default -> false;
        };
    }

    /** Like compare, but an incomparable stored value sorts outside every range and equals nothing. */
    private int cmp(String actual, String wanted) {
        Integer c = compare(actual, wanted, kind);
        return c == null ? (operator.equals("LT") || operator.equals("LTE") ? 1 : -1) * 2 : c;
    }

    /** Compares two values of a property kind; null when a number or datetime does not parse. */
    static Integer compare(String actual, String wanted, Kind kind) {
        switch (kind) {
            case NUMBER, DATETIME -> {
                BigDecimal a = number(actual, kind, true);
                BigDecimal w = number(wanted, kind, true);
                if (a == null || w == null) {
                    return null;
                }
                return a.compareTo(w);
            }
            case ENUMERATION -> {
                return actual.compareTo(wanted);
            }
            default -> {
                return actual.toLowerCase(Locale.ROOT).compareTo(wanted.toLowerCase(Locale.ROOT));
            }
        }
    }

    private boolean in(String actual) {
        for (String v : values) {
            boolean hit = switch (kind) {
                // string IN needs lower-case values (§4): an upper-case value never matches
                case STRING -> actual.toLowerCase(Locale.ROOT).equals(v);
                case ENUMERATION -> actual.equals(v);
                default -> Integer.valueOf(0).equals(compare(actual, v, kind));
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private boolean containsToken(String actual) {
        if (token.matcher(actual).matches()) {
            return true;
        }
        for (String t : actual.split("[\\s@,;:/]+")) {
            if (!t.isEmpty() && token.matcher(t).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} is a wildcard (e.g. {@code *@hubspot.com}); everything else is literal. */
    private static Pattern tokenPattern(String value) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    static BigDecimal number(String v, Kind kind, boolean allowIso) {
        if (v == null) {
            return null;
        }
        if (kind == Kind.DATETIME) {
            Long ms = HubSpotJson.parseTime(v, allowIso);
            return ms == null ? null : BigDecimal.valueOf(ms);
        }
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
