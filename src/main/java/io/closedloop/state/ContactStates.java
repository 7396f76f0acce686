package io.closedloop.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The last snapshot seen of each HubSpot contact, so a fresh snapshot can be turned into change events. */
public final class ContactStates {
    /** The tracked properties of one contact; null parts were blank. */
    public record State(String hubspotContactId, Integer score, String lifecycleStage, Integer pageViews, String lastUrl,
                        Instant lastConversionAt, Instant mqlAt, String leadStatus) {
    }

    private static final int CHUNK = 500;

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsert;

    ContactStates(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = statements.upsert("contact_state", List.of("hubspot_contact_id"), "hubspot_contact_id", "score",
                "lifecycle_stage", "page_views", "last_url", "last_conversion_at", "mql_at", "lead_status", "updated_at");
    }

    public Map<String, State> find(Collection<String> contactIds) {
        Map<String, State> out = new HashMap<>();
        List<String> ids = new ArrayList<>(contactIds);
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            jdbc.query("SELECT hubspot_contact_id, score, lifecycle_stage, page_views, last_url, last_conversion_at, mql_at, lead_status"
                    + " FROM contact_state WHERE hubspot_contact_id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        State s = new State(rs.getString(1), (Integer) rs.getObject(2, Integer.class), rs.getString(3),
                                (Integer) rs.getObject(4, Integer.class), rs.getString(5), Jdbc.instant(rs, "last_conversion_at"),
                                Jdbc.instant(rs, "mql_at"), rs.getString("lead_status"));
                        out.put(s.hubspotContactId(), s);
                        return s;
                    }, chunk.toArray());
        }
        return out;
    }

    public void put(Collection<State> states) {
        Instant now = clock.instant();
        jdbc.batch(upsert, states.stream().map(s -> new Object[] {s.hubspotContactId(), s.score(), s.lifecycleStage(),
                s.pageViews(), s.lastUrl(), s.lastConversionAt(), s.mqlAt(), s.leadStatus(), now}).toList());
    }
}
