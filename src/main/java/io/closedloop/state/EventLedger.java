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

    private static final String ACTIVITY_COLUMNS =
            "event_id, flow, target_type, target_id, subject_id, account_id, activity_type, asset_name, occurred_at, written_at";

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write insertActivity;
    private final SqlStatements.Write addAccountDay;
    private final SqlStatements.Write addAccountPerson;

    EventLedger(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insertActivity = statements.insertIgnore("event_ledger", List.of("event_id"), ACTIVITY_COLUMNS.split(", "));
        this.addAccountDay = statements.insertOrAccumulate("account_activity_day", List.of("account_id", "activity_day", "activity_type"),
                List.of("activities"), List.of("newest"), "account_id", "activity_day", "activity_type", "activities", "newest");
        this.addAccountPerson = statements.insertOrAccumulate("account_person", List.of("account_id", "subject_id"),
                List.of(), List.of("last_at"), "account_id", "subject_id", "last_at");
    }

    /**
     * Records activities written as records of {@code targetType}, in one transaction; ids already present stay as they
     * are. The Account roll-up counts ({@code account_activity_day}, {@code account_person}) take the new ones in the
     * same transaction.
     */
    public void recordActivities(String targetType, List<Activity> activities) {
        Instant now = clock.instant();
        List<Object[]> rows = activities.stream().map(a -> new Object[] {a.eventId(), a.flow(), targetType,
                a.targetId(), a.subjectId(), a.accountId(), a.activityType(), truncate(a.assetName(), 255), a.occurredAt(), now})
                .toList();
        jdbc.inTransaction(() -> {
            List<Activity> added = new ArrayList<>();
            int[] counts = jdbc.batch(insertActivity, rows);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    added.add(activities.get(i));
                }
            }
            addToAccounts(added);
        });
    }

    /** The UTC day of an instant, as {@code account_activity_day} keys it: days since 1970-01-01. */
    static long day(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 86_400L);
    }

    /** One row of {@code account_activity_day}: an Account's activities of one type on one UTC day. */
    private record AccountDay(String accountId, long day, String type, long activities, Instant newest) {
        static final java.util.Comparator<AccountDay> KEY = java.util.Comparator.comparing(AccountDay::accountId)
                .thenComparingLong(AccountDay::day).thenComparing(AccountDay::type);

        AccountDay plus(AccountDay o) {
            return new AccountDay(accountId, day, type, activities + o.activities, later(newest, o.newest));
        }

        Object[] row() {
            return new Object[] {accountId, day, type, activities, newest};
        }
    }

    /** One row of {@code account_person}: a person seen at an Account, and their newest activity there. */
    private record AccountPerson(String accountId, String subjectId, Instant lastAt) {
        static final java.util.Comparator<AccountPerson> KEY = java.util.Comparator.comparing(AccountPerson::accountId)
                .thenComparing(AccountPerson::subjectId);

        AccountPerson plus(AccountPerson o) {
            return new AccountPerson(accountId, subjectId, later(lastAt, o.lastAt));
        }

        Object[] row() {
            return new Object[] {accountId, subjectId, lastAt};
        }
    }

    /** Adds newly recorded activities to their Accounts' roll-up counts, one row per Account, day and type. */
    private void addToAccounts(List<Activity> added) {
        // rows in key order, so that concurrent transactions lock them alike
        java.util.TreeMap<AccountDay, AccountDay> days = new java.util.TreeMap<>(AccountDay.KEY);
        java.util.TreeMap<AccountPerson, AccountPerson> people = new java.util.TreeMap<>(AccountPerson.KEY);
        for (Activity a : added) {
            if (a.accountId() == null || a.occurredAt() == null) {
                continue;
            }
            AccountDay day = new AccountDay(a.accountId(), day(a.occurredAt()), a.activityType() == null ? NO_TYPE : a.activityType(), 1,
                    a.occurredAt());
            days.merge(day, day, AccountDay::plus);
            if (a.subjectId() != null) {
                AccountPerson person = new AccountPerson(a.accountId(), a.subjectId(), a.occurredAt());
                people.merge(person, person, AccountPerson::plus);
            }
        }
        jdbc.batch(addAccountDay, days.values().stream().map(AccountDay::row).toList());
        jdbc.batch(addAccountPerson, people.values().stream().map(AccountPerson::row).toList());
    }

    /** Stands for an activity without a type in {@code account_activity_day}, whose key cannot hold a null. */
    private static final String NO_TYPE = "";

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Activities about these Leads/Contacts since the instant, newest first. */
    public List<Activity> activitiesOfSubjects(Collection<String> subjectIds, Instant since) {
        return activitiesWhere("subject_id", subjectIds, since);
    }

    /**
     * Activities of everyone at these Accounts since the instant, newest first. No index serves it (V17): it reads the
     * whole ledger, for checks and tools; summaries read {@link #accountActivity}.
     */
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
     * The activity of each account since {@code since}, from the roll-up counts: whole UTC days after the one
     * {@code since} falls in, plus that day's activities from {@code since} on, counted in the ledger. The cost follows
     * the days, types and people of an Account, not its activities (a backfill's final summary of accounts with
     * millions of activities, and every summary write of a large Account).
     */
    public java.util.Map<String, AccountActivity> accountActivity(Collection<String> accountIds, Instant since) {
        long sinceDay = day(since);
        Instant nextDay = Instant.ofEpochSecond((sinceDay + 1) * 86_400L);
        java.util.Map<String, java.util.Map<String, TypeCount>> types = new java.util.HashMap<>();
        java.util.Map<String, Long> people = new java.util.HashMap<>();
        Jdbc.RowMapper<java.util.Map.Entry<String, TypeCount>> typeCount = rs -> java.util.Map.entry(rs.getString("k"),
                new TypeCount(typeOf(rs.getString("a")), rs.getLong("n"), Jdbc.instant(rs, "t")));
        for (List<String> chunk : Jdbc.inLists(accountIds)) {
            String in = "account_id IN (" + Jdbc.marks(chunk.size()) + ")";
            List<java.util.Map.Entry<String, TypeCount>> counts = new ArrayList<>(jdbc.query(
                    "SELECT account_id AS k, activity_type AS a, SUM(activities) AS n, MAX(newest) AS t FROM account_activity_day WHERE "
                            + in + " AND activity_day > ? GROUP BY account_id, activity_type", typeCount, Jdbc.params(chunk, sinceDay)));
            counts.addAll(jdbc.query(firstDayOfPeople(chunk.size()), typeCount, Jdbc.params(chunk, since, since, nextDay)));
            counts.addAll(jdbc.query(firstDayWithoutPerson(chunk.size()), typeCount, Jdbc.params(chunk, since, nextDay)));
            // these queries count only activities with a time, so every newest is set
            counts.forEach(e -> types.computeIfAbsent(e.getKey(), k -> new java.util.LinkedHashMap<>())
                    .merge(String.valueOf(e.getValue().activityType()), e.getValue(),
                            (x, y) -> new TypeCount(x.activityType(), x.count() + y.count(), later(x.newest(), y.newest()))));
            jdbc.query("SELECT account_id AS k, COUNT(*) AS p FROM account_person WHERE " + in + " AND last_at >= ? GROUP BY account_id",
                    rs -> java.util.Map.entry(rs.getString("k"), rs.getLong("p")), Jdbc.params(chunk, since))
                    .forEach(e -> people.put(e.getKey(), e.getValue()));
        }
        java.util.Map<String, AccountActivity> out = new java.util.HashMap<>();
        types.forEach((k, byType) -> out.put(k, new AccountActivity(byType.values().stream().mapToLong(TypeCount::count).sum(),
                people.getOrDefault(k, 0L), List.copyOf(byType.values()))));
        return out;
    }

    /**
     * The first, partial day of an Account's window in the ledger, by Account and type: the activities of the Account's
     * people active there since the window's start (account_person; no one else can have any there), found by the
     * ledger's subject index. Parameters: the {@code n} Account ids, the start twice, the next day's start.
     */
    static String firstDayOfPeople(int n) {
        return "SELECT l.account_id AS k, l.activity_type AS a, COUNT(*) AS n, MAX(l.occurred_at) AS t"
                + " FROM account_person p JOIN event_ledger l ON l.subject_id = p.subject_id AND l.account_id = p.account_id"
                + " WHERE p.account_id IN (" + Jdbc.marks(n) + ") AND p.last_at >= ? AND l.occurred_at >= ? AND l.occurred_at < ?"
                + " GROUP BY l.account_id, l.activity_type";
    }

    /** As {@link #firstDayOfPeople}, for the activities without a person, on the same index. Parameters: the ids, the start, the next day's. */
    static String firstDayWithoutPerson(int n) {
        return "SELECT account_id AS k, activity_type AS a, COUNT(*) AS n, MAX(occurred_at) AS t FROM event_ledger"
                + " WHERE subject_id IS NULL AND account_id IN (" + Jdbc.marks(n) + ") AND occurred_at >= ? AND occurred_at < ?"
                + " GROUP BY account_id, activity_type";
    }

    private static String typeOf(String stored) {
        return stored == null || stored.equals(NO_TYPE) ? null : stored;
    }

    /**
     * The newest activity time of each subject (or account, with column "account_id"), all time; an Account's from its
     * roll-up counts.
     */
    public java.util.Map<String, Instant> lastActivity(String column, Collection<String> ids) {
        if (!column.equals("subject_id") && !column.equals("account_id")) {
            throw new IllegalArgumentException(column);
        }
        String source = column.equals("account_id")
                ? "SELECT account_id AS k, MAX(newest) AS t FROM account_activity_day WHERE account_id IN ("
                : "SELECT subject_id AS k, MAX(occurred_at) AS t FROM event_ledger WHERE subject_id IN (";
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        for (List<String> chunk : Jdbc.inLists(ids)) {
            jdbc.query(source + Jdbc.marks(chunk.size()) + ") GROUP BY " + column, rs -> java.util.Map.entry(rs.getString("k"), Jdbc.instant(rs, "t")),
                    chunk.toArray()).forEach(e -> {
                        if (e.getValue() != null) {
                            out.put(e.getKey(), e.getValue());
                        }
                    });
        }
        return out;
    }

    private List<Activity> activitiesWhere(String column, Collection<String> ids, Instant since) {
        List<Activity> out = new ArrayList<>();
        for (List<String> chunk : Jdbc.inLists(ids)) {
            out.addAll(jdbc.query("SELECT " + ACTIVITY_COLUMNS + " FROM event_ledger WHERE " + column + " IN (" + Jdbc.marks(chunk.size())
                    + ") AND occurred_at >= ? ORDER BY occurred_at DESC, event_id", rs -> new Activity(rs.getString("event_id"),
                    rs.getString("flow"), rs.getString("target_id"), rs.getString("subject_id"), rs.getString("account_id"),
                    rs.getString("activity_type"), rs.getString("asset_name"), Jdbc.instant(rs, "occurred_at")), Jdbc.params(chunk, since)));
        }
        return out;
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
        for (List<String> chunk : Jdbc.inLists(eventIds)) {
            found.addAll(jdbc.query("SELECT event_id FROM event_ledger WHERE event_id IN (" + Jdbc.marks(chunk.size()) + ")",
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
