package io.closedloop.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a setting's raw value comes from: env {@code NAME_FILE} (secrets) over env {@code NAME} over the
 * properties file over the key's default. Problems name the key and never contain a secret value.
 */
final class SettingSources {
    private final Map<String, String> env;
    private final Properties file = new Properties();
    private final SettingProblems problems;

    SettingSources(Map<String, String> env, SettingProblems problems) {
        this.env = env;
        this.problems = problems;
    }

    void readFile(Path path, boolean mustExist) {
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
        unknownKeys().forEach(name -> problems.add("--config: unknown key " + name + " in " + path + " (not a Closedloop setting)"));
    }

    /** Keys of the file under a Closedloop prefix ({@code closedloop.}, {@code hubspot.}, ...) that no setting has: a typo is never ignored. */
    private List<String> unknownKeys() {
        Set<String> known = Arrays.stream(SettingKey.values()).map(SettingKey::property).collect(Collectors.toSet());
        Set<String> prefixes = known.stream().map(p -> p.substring(0, p.indexOf('.') + 1)).collect(Collectors.toSet());
        return file.stringPropertyNames().stream().filter(name -> prefixes.stream().anyMatch(name::startsWith))
                .filter(name -> !known.contains(name)).sorted().toList();
    }

    /** The effective raw value, or null when it is unset and has no default (or its secret file cannot be read). */
    String raw(SettingKey key) {
        String fileEnv = key.secret() ? blankToNull(env.get(key.fileEnv())) : null;
        String direct = blankToNull(env.get(key.env()));
        if (fileEnv != null) {
            if (direct != null) {
                problems.add(key, "set either " + key.env() + " or " + key.fileEnv() + ", not both");
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

    /** Whether the key is set in the environment or the file, not merely defaulted. */
    boolean isSet(SettingKey key) {
        return blankToNull(env.get(key.env())) != null || blankToNull(file.getProperty(key.property())) != null;
    }

    /** The raw value, or null after reporting that the key is required. */
    String required(SettingKey key, String meaning) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            if (!problems.reported(key)) {
                String hint = key.secret() ? " (or " + key.fileEnv() + ")" : "";
                problems.add(key, "required: " + meaning + hint);
            }
            return null;
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String stripTrailingNewlines(String s) {
        return s.replaceAll("[\\r\\n]+$", "");
    }
}
