package io.closedloop.core;

import java.util.List;
import java.util.Map;

/**
 * What a reader found in one poll: the events to write, what was only counted, the profiles for the summary
 * fields, the cursor to commit once they are written (null: it stays) and the reader's own state to save with it.
 * {@code more}: the read stopped at its chunk of events, and the rest of its window is read once this is committed.
 * {@code contactChanges}: property changes that are no activity (not written to Salesforce), for those who wrap the reader.
 */
public record SourceRead(List<EngagementEvent> events, Map<String, Long> countedOnly, List<ContactProfile> profiles,
                         String nextCursor, Runnable onCommit, boolean more, List<ContactChange> contactChanges) {
    private static final Runnable NOTHING = () -> { };

    public SourceRead {
        events = List.copyOf(events);
        countedOnly = Map.copyOf(countedOnly);
        profiles = List.copyOf(profiles);
        contactChanges = contactChanges == null ? List.of() : List.copyOf(contactChanges);
        onCommit = onCommit == null ? NOTHING : onCommit;
    }

    public static SourceRead of(List<EngagementEvent> events, String nextCursor) {
        return new SourceRead(events, Map.of(), List.of(), nextCursor, NOTHING, false, List.of());
    }

    public SourceRead countedOnly(Map<String, Long> value) {
        return new SourceRead(events, value, profiles, nextCursor, onCommit, more, contactChanges);
    }

    public SourceRead profiles(List<ContactProfile> value) {
        return new SourceRead(events, countedOnly, value, nextCursor, onCommit, more, contactChanges);
    }

    /** Local state kept in step with the cursor, saved only once the batch was written. */
    public SourceRead onCommit(Runnable value) {
        return new SourceRead(events, countedOnly, profiles, nextCursor, value, more, contactChanges);
    }

    /** The window is not read to its end: the source reads its next chunk as soon as this one is committed. */
    public SourceRead more(boolean value) {
        return new SourceRead(events, countedOnly, profiles, nextCursor, onCommit, value, contactChanges);
    }

    public SourceRead contactChanges(List<ContactChange> value) {
        return new SourceRead(events, countedOnly, profiles, nextCursor, onCommit, more, value);
    }
}
