package io.closedloop.config;

import java.util.ArrayList;
import java.util.List;

/** The problems found while loading settings, gathered so that every one is reported in one go. */
final class SettingProblems {
    private final List<String> lines = new ArrayList<>();

    /** One problem line for a key: {@code KEY: message}. */
    void add(SettingKey key, String message) {
        add(key.env() + ": " + message);
    }

    void add(String line) {
        lines.add(line);
    }

    /** Whether a problem already names the key (or its {@code _FILE} variant), so a key is not reported twice. */
    boolean reported(SettingKey key) {
        return lines.stream().anyMatch(p -> p.startsWith(key.env() + ":") || p.startsWith(key.fileEnv() + ":"));
    }

    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new SettingsException(lines);
        }
    }
}
