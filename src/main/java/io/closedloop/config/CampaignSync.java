package io.closedloop.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which HubSpot lists become Salesforce Campaigns with their members ({@code CLOSEDLOOP_CAMPAIGN_SYNC}), what happens to
 * members who leave a list ({@code CLOSEDLOOP_CAMPAIGN_LEAVERS}), and what sales reads in each Campaign's Description:
 * the offer, its link and the talking points, from the notes file ({@code CLOSEDLOOP_CAMPAIGN_NOTES_FILE}).
 */
public record CampaignSync(List<String> listIds, Leavers leavers, Map<String, Notes> notes) {
    /** A member who left the list keeps the CampaignMember with the status "Left List", or loses it. */
    public enum Leavers { STATUS, REMOVE }

    /** What sales needs about one campaign; any part may be blank. {@code type} is a Campaign Type picklist value. */
    public record Notes(String offer, String link, String talkingPoints, String type) {
        public static final Notes NONE = new Notes("", "", "", "");
    }

    /** {@code list.<id>.<part>} where part is offer, link, talking-points or type. */
    private static final Pattern KEY = Pattern.compile("list\\.(\\d{1,18})\\.(offer|link|talking-points|type)");
    /** The Campaign Type values a notes file may pick (the standard picklist, object reference Campaign). */
    static final Set<String> TYPES = Set.of("Email", "Webinar", "Conference", "Advertisement", "Other");

    public CampaignSync {
        listIds = List.copyOf(listIds);
        notes = Map.copyOf(notes);
    }

    public static CampaignSync off() {
        return new CampaignSync(List.of(), Leavers.STATUS, Map.of());
    }

    public boolean enabled() {
        return !listIds.isEmpty();
    }

    /** The notes of a list, or blank ones. */
    public Notes notesOf(String listId) {
        return notes.getOrDefault(listId, Notes.NONE);
    }

    /** The notes file, by list id; a missing default file means no notes. Problems throw, one line each. */
    static Map<String, Notes> loadNotes(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new SettingsException(List.of("cannot read " + file + ": " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> parts = new LinkedHashMap<>();
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            Matcher m = KEY.matcher(key);
            String value = p.getProperty(key).trim();
            if (!m.matches()) {
                problems.add(file + ": unknown key \"" + key + "\"; expected list.<list id>.offer, .link, .talking-points or .type");
            } else if (m.group(2).equals("type") && !TYPES.contains(value)) {
                problems.add(file + ": " + key + " is \"" + value + "\"; expected one of " + new java.util.TreeSet<>(TYPES));
            } else if (m.group(2).equals("link") && !value.isEmpty() && !value.matches("https?://\\S+")) {
                problems.add(file + ": " + key + " is not an http(s) link");
            } else {
                parts.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2), value);
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        Map<String, Notes> out = new LinkedHashMap<>();
        parts.forEach((id, v) -> out.put(id, new Notes(v.getOrDefault("offer", ""), v.getOrDefault("link", ""),
                v.getOrDefault("talking-points", ""), v.getOrDefault("type", ""))));
        return out;
    }
}
