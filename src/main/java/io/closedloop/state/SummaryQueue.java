package io.closedloop.state;

import java.time.Clock;
import java.util.Collection;
import java.util.List;

/** Leads, Contacts and Accounts whose summary fields must be recomputed; an entry leaves once written. */
public final class SummaryQueue {
    /** A queued record; {@code version} counts how often it was queued, so a removal misses a later queueing. */
    public record Pending(String sfId, String sobject, long version) {
        public Pending(String sfId, String sobject) {
            this(sfId, sobject, 0);
        }
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write insert;

    SummaryQueue(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insert = statements.insertOrIncrement("summary_pending", List.of("sf_id"), "version", "sf_id", "sobject", "queued_at");
    }

    /** Queues the records; one already queued keeps its place and gets a new version. */
    public void add(Collection<Pending> pending) {
        var now = clock.instant();
        jdbc.batch(insert, pending.stream().map(p -> new Object[] {p.sfId(), p.sobject(), now}).toList());
    }

    public List<Pending> next(int limit) {
        return jdbc.query("SELECT sf_id, sobject, version FROM summary_pending ORDER BY queued_at, sf_id LIMIT " + Math.max(1, limit),
                rs -> new Pending(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    /** As {@link #next(int)}, leaving the records of one object queued where they are. */
    public List<Pending> nextExcept(String sobject, int limit) {
        return jdbc.query("SELECT sf_id, sobject, version FROM summary_pending WHERE sobject <> ? ORDER BY queued_at, sf_id LIMIT "
                + Math.max(1, limit), rs -> new Pending(rs.getString(1), rs.getString(2), rs.getLong(3)), sobject);
    }

    /** Removes entries that were written; an entry queued again since it was read stays. */
    public void remove(Collection<Pending> written) {
        jdbc.batch("DELETE FROM summary_pending WHERE sf_id = ? AND version = ?",
                written.stream().map(p -> new Object[] {p.sfId(), p.version()}).toList());
    }

    /** Whether the record still waits for its summary write (Salesforce asked to back off, or it was never flushed). */
    public boolean contains(String sfId) {
        return jdbc.queryOne("SELECT COUNT(*) FROM summary_pending WHERE sf_id = ?", rs -> rs.getLong(1), sfId).orElse(0L) > 0;
    }

    public long size() {
        return jdbc.queryOne("SELECT COUNT(*) FROM summary_pending", rs -> rs.getLong(1)).orElse(0L);
    }

    /** How many records wait for their summary write, and since when the longest-waiting one does (null: none). */
    public record Backlog(long records, java.time.Instant oldest) {
    }

    /** The queue's size and its oldest entry, in one query (a record queued again keeps its first time). */
    public Backlog backlog() {
        return jdbc.queryOne("SELECT COUNT(*) AS n, MIN(queued_at) AS oldest FROM summary_pending",
                        rs -> new Backlog(rs.getLong("n"), Jdbc.instant(rs, "oldest")))
                .orElse(new Backlog(0, null));
    }
}
