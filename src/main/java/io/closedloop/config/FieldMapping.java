package io.closedloop.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which summary fields Closedloop writes on Lead, Contact and Account, and when (config/salesforce-fields.properties).
 * Unknown fields or rules fail at startup naming the key; whether each field exists in the org is checked
 * against Salesforce describe before the first write.
 */
public record FieldMapping(Map<String, Map<String, Rule>> rules) {
    /** always: overwrite; if-blank: only when the field is empty; never: leave it to people. */
    public enum Rule { ALWAYS, IF_BLANK, NEVER }

    public static final Path DEFAULT_FILE = Path.of("config", "salesforce-fields.properties");

    // the summary fields, by their Salesforce API names (salesforce/force-app); the mapping file names them too
    public static final String LAST_MARKETING_ACTIVITY_AT = "Last_Marketing_Activity_At__c";
    public static final String MARKETING_ENGAGEMENT_SCORE = "Marketing_Engagement_Score__c";
    public static final String MARKETING_ACTIVITY_7D = "Marketing_Activity_7d__c";
    public static final String MARKETING_ACTIVITY_30D = "Marketing_Activity_30d__c";
    public static final String MARKETING_ENGAGED_PEOPLE = "Marketing_Engaged_People__c";
    public static final String MARKETING_SUMMARY = "Marketing_Summary__c";
    public static final String MQL_AT = "MQL_At__c";

    /** The fields Closedloop knows how to compute, per object. */
    public static final Map<String, List<String>> KNOWN = Map.of(
            "Lead", List.of(LAST_MARKETING_ACTIVITY_AT, MARKETING_ENGAGEMENT_SCORE, MARKETING_ACTIVITY_7D, MQL_AT, MARKETING_SUMMARY),
            "Contact", List.of(LAST_MARKETING_ACTIVITY_AT, MARKETING_ENGAGEMENT_SCORE, MARKETING_ACTIVITY_7D, MQL_AT, MARKETING_SUMMARY),
            "Account", List.of(LAST_MARKETING_ACTIVITY_AT, MARKETING_ACTIVITY_30D, MARKETING_ENGAGED_PEOPLE, MARKETING_SUMMARY));

    /** Every known field written always: the default when no file is present. */
    public static FieldMapping defaults() {
        Map<String, Map<String, Rule>> rules = new TreeMap<>();
        KNOWN.forEach((object, fields) -> {
            Map<String, Rule> byField = new LinkedHashMap<>();
            fields.forEach(f -> byField.put(f, Rule.ALWAYS));
            rules.put(object, byField);
        });
        return new FieldMapping(rules);
    }

    public static FieldMapping load(Path file) {
        FieldMapping mapping = defaults();
        if (file == null || !Files.exists(file)) {
            return mapping;
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new SettingsException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
        }
        List<String> problems = new ArrayList<>();
        for (String key : new TreeMap<>(props).keySet().stream().map(String::valueOf).toList()) {
            String value = props.getProperty(key).trim();
            int dot = key.indexOf('.');
            String object = dot < 0 ? key : key.substring(0, dot);
            String field = dot < 0 ? "" : key.substring(dot + 1);
            if (!KNOWN.containsKey(object) || !KNOWN.get(object).contains(field)) {
                problems.add(file + ": " + key + ": unknown summary field; expected one of " + known());
                continue;
            }
            try {
                mapping.rules().get(object).put(field, Rule.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                problems.add(file + ": " + key + ": expected always, if-blank or never, got \"" + value + "\"");
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return mapping;
    }

    public Rule rule(String object, String field) {
        return rules.getOrDefault(object, Map.of()).getOrDefault(field, Rule.NEVER);
    }

    /** Fields of the object that are written at all (rule not NEVER). */
    public List<String> written(String object) {
        return rules.getOrDefault(object, Map.of()).entrySet().stream().filter(e -> e.getValue() != Rule.NEVER)
                .map(Map.Entry::getKey).toList();
    }

    /** Fields whose current value must be read first (IF_BLANK). */
    public List<String> readFirst(String object) {
        return Collections.unmodifiableList(rules.getOrDefault(object, Map.of()).entrySet().stream()
                .filter(e -> e.getValue() == Rule.IF_BLANK).map(Map.Entry::getKey).toList());
    }

    private static String known() {
        List<String> all = new ArrayList<>();
        new TreeMap<>(KNOWN).forEach((o, fs) -> fs.forEach(f -> all.add(o + "." + f)));
        return String.join(", ", all);
    }
}
