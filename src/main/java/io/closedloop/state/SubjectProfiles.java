package io.closedloop.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The marketing profile of each Salesforce Lead or Contact: the latest HubSpot score and the first MQL moment. */
public final class SubjectProfiles {
    /** A profile; null parts are unknown. */
    public record Profile(Integer score, Instant scoreAt, Instant mqlAt) {
        /** Newer score wins; the earliest MQL moment is kept. */
        public Profile merge(Profile other) {
            boolean newer = other.score != null && (scoreAt == null || other.scoreAt != null && !other.scoreAt.isBefore(scoreAt));
            Instant mql = mqlAt == null ? other.mqlAt : other.mqlAt == null || mqlAt.isBefore(other.mqlAt) ? mqlAt : other.mqlAt;
            return new Profile(newer ? other.score : score, newer ? other.scoreAt : scoreAt, mql);
        }
    }

    private static final int CHUNK = 500;

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsert;

    SubjectProfiles(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = statements.upsert("subject_profile", List.of("sf_id"), "sf_id", "score", "score_at", "mql_at", "updated_at");
    }

    public Map<String, Profile> find(Collection<String> sfIds) {
        Map<String, Profile> out = new HashMap<>();
        List<String> ids = new ArrayList<>(sfIds);
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT sf_id, score, score_at, mql_at FROM subject_profile WHERE sf_id IN (" + marks + ")", rs -> {
                Integer score = rs.getObject("score") == null ? null : rs.getInt("score");
                out.put(rs.getString("sf_id"), new Profile(score, Jdbc.instant(rs, "score_at"), Jdbc.instant(rs, "mql_at")));
                return null;
            }, chunk.toArray());
        }
        return out;
    }

    /** Merges the given observations into the stored profiles. */
    public void record(Map<String, Profile> observed) {
        if (observed.isEmpty()) {
            return;
        }
        Map<String, Profile> stored = find(observed.keySet());
        Instant now = clock.instant();
        List<Object[]> rows = new ArrayList<>();
        observed.forEach((id, p) -> {
            Profile merged = stored.containsKey(id) ? stored.get(id).merge(p) : p;
            rows.add(new Object[] {id, merged.score(), merged.scoreAt(), merged.mqlAt(), now});
        });
        jdbc.batch(upsert, rows);
    }
}
