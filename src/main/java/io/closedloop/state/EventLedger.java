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

    /**
     * A written marketing activity: the event, the Salesforce record it became ({@code targetId}), the Lead or
     * Contact it is about ({@code subjectId}) and that person's Account, for summaries and roll-ups.
     */
    public record Activity(String eventId, String flow, String targetId, String subjectId, String accountId,
                           String activityType, String assetName, Instant occurredAt) {
    }

    /** Keeps IN lists well under every driver's parameter limit. */
    private static final int CHUNK = 500;

    private static final String ACTIVITY_COLUMNS =
            "event_id, flow, target_type, target_id, subject_id, account_id, activity_type, asset_name, occurred_at, written_at";

    private final Jdbc jdbc;
    private final Clock clock;
    private final String insertActivity;

    EventLedger(Jdbc jdbc, Dialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insertActivity = dialect.insertIgnore("event_ledger", List.of("event_id"), ACTIVITY_COLUMNS.split(", "));
    }

    /** Records activities written as records of {@code targetType}, in one batch; ids already present stay as they are. */
    public void recordActivities(String targetType, List<Activity> activities) {
        Instant now = clock.instant();
        List<Object[]> rows = activities.stream().map(a -> new Object[] {a.eventId(), a.flow(), targetType,
                a.targetId(), a.subjectId(), a.accountId(), a.activityType(), truncate(a.assetName(), 255), a.occurredAt(), now})
                .toList();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            jdbc.batch(insertActivity, rows.subList(from, Math.min(rows.size(), from + CHUNK)));
        }
    }

    /** Activities about these Leads/Contacts since the instant, newest first. */
    public List<Activity> activitiesOfSubjects(Collection<String> subjectIds, Instant since) {
        return activitiesWhere("subject_id", subjectIds, since);
    }

    /** Activities of everyone at these Accounts since the instant, newest first. */
    public List<Activity> activitiesOfAccounts(Collection<String> accountIds, Instant since) {
        return activitiesWhere("account_id", accountIds, since);
    }

    /** One activity type's share of an account's activity: how many, and the newest. */
    public record TypeCount(String activityType, long count, Instant newest) {
    }

    /** An account's activity since a time, aggregated in the database: memory follows the types, not the activities. */
    public record AccountActivity(long activities, long people, List<TypeCount> byType) {
    }

    /**
     * The activity of each account since {@code since}, counted by the database (two grouped queries per 500
     * accounts), so a backfill's final summary of accounts with millions of activities holds only the counts.
     */
    public java.util.Map<String, AccountActivity> accountActivity(Collection<String> accountIds, Instant since) {
        java.util.Map<String, long[]> totals = new java.util.HashMap<>();
        java.util.Map<String, List<TypeCount>> types = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(accountIds);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            Object[] params = idsThen(chunk, since);
            String where = " FROM event_ledger WHERE account_id IN (" + chunk.stream().map(x -> "?").collect(Collectors.joining(","))
                    + ") AND occurred_at >= ?";
            jdbc.query("SELECT account_id AS k, COUNT(*) AS n, COUNT(DISTINCT subject_id) AS p" + where + " GROUP BY account_id",
                    rs -> java.util.Map.entry(rs.getString("k"), new long[] {rs.getLong("n"), rs.getLong("p")}), params)
                    .forEach(e -> totals.put(e.getKey(), e.getValue()));
            jdbc.query("SELECT account_id AS k, activity_type AS a, COUNT(*) AS n, MAX(occurred_at) AS t" + where
                    + " GROUP BY account_id, activity_type", rs -> java.util.Map.entry(rs.getString("k"),
                    new TypeCount(rs.getString("a"), rs.getLong("n"), Jdbc.instant(rs, "t"))), params)
                    .forEach(e -> types.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        java.util.Map<String, AccountActivity> out = new java.util.HashMap<>();
        totals.forEach((k, t) -> out.put(k, new AccountActivity(t[0], t[1], types.getOrDefault(k, List.of()))));
        return out;
    }

    /** The newest activity time of each subject (or account, with column "account_id"), all time. */
    public java.util.Map<String, Instant> lastActivity(String column, Collection<String> ids) {
        if (!column.equals("subject_id") && !column.equals("account_id")) {
            throw new IllegalArgumentException(column);
        }
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String marks = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
            jdbc.query("SELECT " + column + " AS k, MAX(occurred_at) AS t FROM event_ledger WHERE " + column + " IN (" + marks
                    + ") GROUP BY " + column, rs -> java.util.Map.entry(rs.getString("k"), Jdbc.instant(rs, "t")), chunk.toArray())
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    private List<Activity> activitiesWhere(String column, Collection<String> ids, Instant since) {
        List<Activity> out = new ArrayList<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            Object[] params = idsThen(chunk, since);
            String marks = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
            out.addAll(jdbc.query("SELECT " + ACTIVITY_COLUMNS + " FROM event_ledger WHERE " + column + " IN (" + marks
                    + ") AND occurred_at >= ? ORDER BY occurred_at DESC, event_id", rs -> new Activity(rs.getString("event_id"),
                    rs.getString("flow"), rs.getString("target_id"), rs.getString("subject_id"), rs.getString("account_id"),
                    rs.getString("activity_type"), rs.getString("asset_name"), Jdbc.instant(rs, "occurred_at")), params));
        }
        return out;
    }

    /** The ids of an IN list, then the time, as query parameters. */
    private static Object[] idsThen(List<String> ids, Instant since) {
        Object[] params = new Object[ids.size() + 1];
        for (int i = 0; i < ids.size(); i++) {
            params[i] = ids.get(i);
        }
        params[ids.size()] = since;
        return params;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
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
