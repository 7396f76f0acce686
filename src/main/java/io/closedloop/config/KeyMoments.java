package io.closedloop.config;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which activities also become a Salesforce Task, so they show in the standard activity timeline. */
public record KeyMoments(Set<ActivityType> types, List<String> pages) {
    public KeyMoments {
        types = Set.copyOf(types);
        pages = List.copyOf(pages);
    }

    public static KeyMoments none() {
        return new KeyMoments(Set.of(), List.of());
    }

    public boolean enabled() {
        return !types.isEmpty();
    }

    /** A page visit counts only on one of the configured pages; other types count by type alone. */
    public boolean matches(EngagementEvent e) {
        if (!types.contains(e.type())) {
            return false;
        }
        if (e.type() != ActivityType.PAGE_VISIT) {
            return true;
        }
        String path = e.assetName() == null ? "" : e.assetName().toLowerCase(Locale.ROOT);
        return pages.stream().anyMatch(p -> path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"));
    }

    static String allowed() {
        return Arrays.stream(ActivityType.values()).map(t -> t.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
