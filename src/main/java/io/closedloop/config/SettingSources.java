package io.closedloop.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

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
