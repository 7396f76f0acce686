package io.closedloop.sync;

import java.util.List;
import java.util.Map;

/**
 * What one poll of a source produced: the events to write, the cursor to commit once they are written,
 * and what was only counted. The sink fills in the outcome.
 */
public final class EngagementBatch {
    private final String source;
    private final List<EngagementEvent> events;
    private final String nextCursor;
    private final Map<String, Long> countedOnly;
    private final long runId;
    private final long hubspotCalls;
    private volatile io.closedloop.salesforce.SalesforceActivitySink.Outcome outcome;
    private volatile List<ContactProfile> profiles = List.of();
    private volatile Runnable onCommit = () -> { };

    public EngagementBatch(String source, List<EngagementEvent> events, String nextCursor, Map<String, Long> countedOnly,
                           long runId, long hubspotCalls) {
        this.source = source;
        this.events = List.copyOf(events);
        this.nextCursor = nextCursor;
        this.countedOnly = Map.copyOf(countedOnly);
        this.runId = runId;
        this.hubspotCalls = hubspotCalls;
    }

    public String source() {
        return source;
    }

    public List<EngagementEvent> events() {
        return events;
    }

    /** Null when the cursor must not move (nothing new was covered). */
    public String nextCursor() {
        return nextCursor;
    }

    public Map<String, Long> countedOnly() {
        return countedOnly;
    }

    public long runId() {
        return runId;
    }

    public long hubspotCalls() {
        return hubspotCalls;
    }

    public io.closedloop.salesforce.SalesforceActivitySink.Outcome outcome() {
        return outcome;
    }

    public void outcome(io.closedloop.salesforce.SalesforceActivitySink.Outcome value) {
        this.outcome = value;
    }

    /** Person profiles observed by the poll, written as summary fields alongside the events. */
    public List<ContactProfile> profiles() {
        return profiles;
    }

    public EngagementBatch profiles(List<ContactProfile> value) {
        this.profiles = List.copyOf(value);
        return this;
    }

    /** Local state the source keeps in step with the cursor: it is saved only once the batch was written. */
    public Runnable onCommit() {
        return onCommit;
    }

    public EngagementBatch onCommit(Runnable value) {
        this.onCommit = value;
        return this;
    }
}
