package io.closedloop.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The problems found while loading settings, gathered so that every one is reported in one go; warnings pass straight on. */
final class SettingProblems {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> warnings;

    /** @param warnings where usable but risky settings are reported ({@code KEY: message}), as they are found */
    SettingProblems(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    void warn(SettingKey key, String message) {
        warnings.accept(key.env() + ": " + message);
    }

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
