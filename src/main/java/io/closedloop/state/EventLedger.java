package io.closedloop.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Which event was written where. An event id is recorded once; a second record is refused. */
public final class EventLedger {
    public record Entry(String eventId, String flow, String targetType, String targetId, Instant writtenAt) {
    }

    /** Keeps IN lists well under every driver's parameter limit. */
    private static final int CHUNK = 500;

    private final Jdbc jdbc;
    private final Clock clock;

    EventLedger(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records that the event was written; returns false (and changes nothing) if it already was. */
    public boolean record(String eventId, String flow, String targetType, String targetId) {
        try {
            jdbc.update("INSERT INTO event_ledger (event_id, flow, target_type, target_id, written_at) VALUES (?, ?, ?, ?, ?)",
                    eventId, flow, targetType, targetId, clock.instant());
            return true;
        } catch (StateStoreException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Entry> find(String eventId) {
        return jdbc.queryOne("SELECT * FROM event_ledger WHERE event_id = ?", EventLedger::map, eventId);
    }

    /** The subset of {@code eventIds} already in the ledger, for filtering a batch before writing it. */
    public Set<String> existing(Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        List<String> ids = new ArrayList<>(eventIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
            found.addAll(jdbc.query("SELECT event_id FROM event_ledger WHERE event_id IN (" + marks + ")",
                    rs -> rs.getString(1), chunk.toArray()));
        }
        return found;
    }

    public long count(String flow) {
        return jdbc.queryOne("SELECT COUNT(*) FROM event_ledger WHERE flow = ?", rs -> rs.getLong(1), flow).orElse(0L);
    }

    private static Entry map(ResultSet rs) throws SQLException {
        return new Entry(rs.getString("event_id"), rs.getString("flow"), rs.getString("target_type"),
                rs.getString("target_id"), Jdbc.instant(rs, "written_at"));
    }
}
