package io.closedloop.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * While the daemon stops: a poll still running when the shutdown timeout forces the routes down has its call cut, and
 * the exception escapes every route handler (a force-stopped route runs none), so camel-quartz's job logs it as an
 * ERROR. That is the stop itself, not a defect: the run's cursor never moved and the next start reads the same
 * window. This filter says so once at INFO instead. At any other time the scheduler's ERROR goes through unchanged.
 */
public final class StoppingDaemonFilter extends TurboFilter {
    static final String QUARTZ_JOB = "org.apache.camel.component.quartz.CamelJob";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(StoppingDaemonFilter.class);
    private static volatile boolean stopping;

    /** Set when the daemon begins to stop, cleared when one starts. */
    public static void daemonStopping(boolean value) {
        stopping = value;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (!stopping || level != Level.ERROR || !QUARTZ_JOB.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        LOG.info("a poll was cut by the daemon's forced stop; its cursor stays and the next start reads the same window ({})",
                Redactor.redact(String.valueOf(format)));
        return FilterReply.DENY;
    }
}
