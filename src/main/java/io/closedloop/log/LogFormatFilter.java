package io.closedloop.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets an appender write only when it is the configured format, so both appenders can stay attached. */
public class LogFormatFilter extends Filter<ILoggingEvent> {
    private String format;
    private String active;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setActive(String active) {
        this.active = active;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return format != null && format.equalsIgnoreCase(active) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
