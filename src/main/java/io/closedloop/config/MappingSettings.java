package io.closedloop.config;

import static io.closedloop.config.SettingKey.CLOSEDLOOP_KEY_MOMENTS;
import static io.closedloop.config.SettingKey.CLOSEDLOOP_KEY_MOMENT_PAGES;

import io.closedloop.core.ActivityType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/** The mappings ops edit: the field-mapping and disposition files, and the key-moment types and pages. */
final class MappingSettings {
    private final SettingValues values;
    private final SettingProblems problems;

    MappingSettings(SettingValues values, SettingProblems problems) {
        this.values = values;
        this.problems = problems;
    }

    /**
     * The file the key names. The default path may be absent (built-in defaults apply); a path the operator
     * chose must exist. The loader throws {@link SettingsException} with the file's problems, which are
     * reported under the key.
     */
    <T> T file(SettingKey key, Function<Path, T> loader, Supplier<T> defaults) {
        String value = values.raw(key);
        Path path = Path.of(value == null ? key.defaultValue() : value);
        boolean explicit = value != null && !value.equals(key.defaultValue());
        if (explicit && !Files.exists(path)) {
            problems.add(key, "file not found: " + path);
            return defaults.get();
        }
        try {
            return loader.apply(path);
        } catch (SettingsException e) {
            e.problems().forEach(p -> problems.add(key, p));
            return defaults.get();
        }
    }

    KeyMoments keyMoments() {
        EnumSet<ActivityType> types = EnumSet.noneOf(ActivityType.class);
        for (String token : values.commaSeparated(CLOSEDLOOP_KEY_MOMENTS)) {
            try {
                types.add(ActivityType.valueOf(token.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                problems.add(CLOSEDLOOP_KEY_MOMENTS, "unknown activity type \"" + token + "\"; expected some of "
                        + KeyMoments.allowed());
            }
        }
        List<String> paths = new ArrayList<>();
        for (String path : values.commaSeparated(CLOSEDLOOP_KEY_MOMENT_PAGES)) {
            if (!path.startsWith("/") || path.contains(" ")) {
                problems.add(CLOSEDLOOP_KEY_MOMENT_PAGES, "expected page paths starting with /, got \"" + path + "\"");
            } else {
                paths.add(path.toLowerCase(Locale.ROOT));
            }
        }
        return new KeyMoments(types, paths);
    }
}
