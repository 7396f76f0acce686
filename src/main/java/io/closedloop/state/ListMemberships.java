package io.closedloop.state;

import java.time.Instant;
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
    private final String upsert;

    ListMemberships(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.upsert = dialect.upsert("list_membership", List.of("list_id", "hubspot_contact_id"), "list_id", "hubspot_contact_id",
                "joined_at");
    }

    /** The stored members of a list: contact id to join time. */
    public Map<String, Instant> members(String listId) {
        Map<String, Instant> out = new HashMap<>();
        jdbc.query("SELECT hubspot_contact_id, joined_at FROM list_membership WHERE list_id = ?",
                rs -> Map.entry(rs.getString(1), Jdbc.instant(rs, "joined_at")), listId).forEach(e -> out.put(e.getKey(), e.getValue()));
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
