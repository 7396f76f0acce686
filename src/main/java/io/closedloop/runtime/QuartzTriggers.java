package io.closedloop.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The camel-quartz component every trigger route ({@code quartz:} in {@code routes/}) runs on: Quartz's own defaults
 * with a misfire threshold of {@link #MISFIRE_THRESHOLD} instead of 60 s.
 *
 * <p>Each poll's trigger is stateful (one poll at a time), so a poll that runs past its interval leaves its trigger's
 * next fire time behind. Quartz counts a fire time as missed only once it is older than the threshold; with 60 s, a poll
 * that overran by a few intervals was followed by one poll per interval it missed, back to back, each reading a window
 * of a few seconds. camel-quartz builds its simple triggers with the fire-now misfire instruction (for a repeating
 * trigger: fire once now, then every interval from now), which this threshold lets apply: one poll at once after an
 * overrun, then the usual interval.
 */
final class QuartzTriggers {
    /** A fire time more than this late counts as missed; well above Quartz's own scheduling delay (milliseconds). */
    static final Duration MISFIRE_THRESHOLD = Duration.ofMillis(500);

    private QuartzTriggers() {
    }

    static QuartzComponent component() {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(properties());
        return quartz;
    }

    /** Quartz's default properties ({@code org/quartz/quartz.properties} in its jar, as camel-quartz reads them) and the threshold. */
    static Map<String, Object> properties() {
        Properties defaults = new Properties();
        try (InputStream in = StdSchedulerFactory.class.getClassLoader().getResourceAsStream("org/quartz/quartz.properties")) {
            if (in == null) {
                throw new IllegalStateException("Quartz's default properties (org/quartz/quartz.properties) are not on the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        defaults.stringPropertyNames().forEach(k -> p.put(k, defaults.getProperty(k)));
        p.put("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD.toMillis()));
        return p;
    }
}
