package io.closedloop.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The members of each watched HubSpot list as last written: contact id and when it joined. */
public final class ListMemberships {
    /** What changed in one list since the stored snapshot; {@code baseline} replaces the list's rows outright. */
    public record Change(String listId, boolean baseline, Map<String, Instant> joined, Set<String> left) {
        public Change {
            joined = Map.copyOf(joined);
            left = Set.copyOf(left);
        }
    }

    private final Jdbc jdbc;
    private final SqlStatements.Write upsert;

    ListMemberships(Jdbc jdbc, SqlStatements statements) {
        this.jdbc = jdbc;
        this.upsert = statements.upsert("list_membership", List.of("list_id", "hubspot_contact_id"), "list_id", "hubspot_contact_id",
                "joined_at");
    }

    /** The stored members of a list: contact id to join time. */
    public Map<String, Instant> members(String listId) {
        Map<String, Instant> out = new HashMap<>();
        jdbc.query("SELECT hubspot_contact_id, joined_at FROM list_membership WHERE list_id = ?",
                rs -> Map.entry(rs.getString(1), Jdbc.instant(rs, "joined_at")), listId).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The stored members of a list whose contact id lies after {@code after} (null: from the first) and up to
     * {@code through} (null: to the last), in HubSpot's member order: ids are numbers, compared by length, then digit by digit.
     */
    public Map<String, Instant> members(String listId, String after, String through) {
        StringBuilder sql = new StringBuilder("SELECT hubspot_contact_id, joined_at FROM list_membership WHERE list_id = ?");
        List<Object> params = new ArrayList<>(List.of(listId));
        if (after != null) {
            sql.append(" AND (LENGTH(hubspot_contact_id) > ? OR (LENGTH(hubspot_contact_id) = ? AND hubspot_contact_id > ?))");
            params.addAll(List.of(after.length(), after.length(), after));
        }
        if (through != null) {
            sql.append(" AND (LENGTH(hubspot_contact_id) < ? OR (LENGTH(hubspot_contact_id) = ? AND hubspot_contact_id <= ?))");
            params.addAll(List.of(through.length(), through.length(), through));
        }
        Map<String, Instant> out = new HashMap<>();
        jdbc.query(sql.toString(), rs -> Map.entry(rs.getString(1), Jdbc.instant(rs, "joined_at")), params.toArray())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Applies the changes; call only once the events they produced are durably written or parked. */
    public void apply(List<Change> changes) {
        for (Change c : changes) {
            if (c.baseline()) {
                jdbc.update("DELETE FROM list_membership WHERE list_id = ?", c.listId());
            } else {
                jdbc.batch("DELETE FROM list_membership WHERE list_id = ? AND hubspot_contact_id = ?",
                        c.left().stream().map(id -> new Object[] {c.listId(), id}).toList());
            }
            jdbc.batch(upsert, c.joined().entrySet().stream().map(e -> new Object[] {c.listId(), e.getKey(), e.getValue()}).toList());
        }
    }
}
