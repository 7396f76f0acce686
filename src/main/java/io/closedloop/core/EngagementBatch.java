package io.closedloop.core;

import java.util.List;
import java.util.Map;

/**
 * What one poll of a source produced: the events to write, the cursor (and any other source state, in the
 * commit hook) to commit once they are written, and what was only counted. The sink fills in the outcome.
 */
public final class EngagementBatch {
    private final String source;
    private final List<EngagementEvent> events;
    private final String nextCursor;
    private final Map<String, Long> countedOnly;
    private final long runId;
    private final long hubspotCalls;
    private volatile Runnable commitHook;
    private volatile WriteOutcome outcome;
    private volatile List<ContactProfile> profiles = List.of();
    private volatile boolean more;

    public EngagementBatch(String source, List<EngagementEvent> events, String nextCursor, Map<String, Long> countedOnly,
                           long runId, long hubspotCalls) {
        this(source, events, nextCursor, countedOnly, runId, hubspotCalls, () -> { });
    }

    /** @param commitHook saves the source's own state (beyond the cursor); runs only after the batch was written */
    public EngagementBatch(String source, List<EngagementEvent> events, String nextCursor, Map<String, Long> countedOnly,
                           long runId, long hubspotCalls, Runnable commitHook) {
        this.source = source;
        this.events = List.copyOf(events);
        this.nextCursor = nextCursor;
        this.countedOnly = Map.copyOf(countedOnly);
        this.runId = runId;
        this.hubspotCalls = hubspotCalls;
        this.commitHook = java.util.Objects.requireNonNull(commitHook, "commitHook");
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

    /** Saves the source's own state; for {@link SyncCheckpoint#commit} and tests that stand in for it. */
    public void runCommitHook() {
        commitHook.run();
    }

    /** Whether the source stopped at its chunk: its route reads the next chunk once this one is committed. */
    public boolean more() {
        return more;
    }

    /** Named apart from {@link #more()}, so the route's simple expression finds the getter. */
    public EngagementBatch moreToRead(boolean value) {
        this.more = value;
        return this;
    }

    public WriteOutcome outcome() {
        return outcome;
    }

    public void outcome(WriteOutcome value) {
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

    /** Sets the commit hook: local state the source keeps in step with the cursor, saved only once the batch was written. */
    public EngagementBatch onCommit(Runnable value) {
        this.commitHook = java.util.Objects.requireNonNull(value, "commitHook");
        return this;
    }
}
