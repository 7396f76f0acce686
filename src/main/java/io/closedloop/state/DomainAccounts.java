package io.closedloop.state;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Company email domain to Salesforce Account (or to none, remembered so it is not looked up again soon). */
public final class DomainAccounts {
    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsert;

    DomainAccounts(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = statements.upsert("domain_account", List.of("domain"), "domain", "sf_account_id", "resolved_at");
    }

    /** Known domains resolved since {@code freshSince}: the account id, or an empty Optional for "no account". */
    public Map<String, Optional<String>> find(Collection<String> domains, Instant freshSince) {
        Map<String, Optional<String>> out = new HashMap<>();
        // one query per 500 domains, not one per domain: a live chunk asks about thousands
        for (List<String> chunk : Jdbc.inLists(domains)) {
            jdbc.query("SELECT domain, sf_account_id FROM domain_account WHERE domain IN (" + Jdbc.marks(chunk.size())
                    + ") AND resolved_at >= ?", rs -> Map.entry(rs.getString(1), Optional.ofNullable(rs.getString(2))),
                    Jdbc.params(chunk, freshSince)).forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    public void put(Map<String, String> accountByDomain) {
        Instant now = clock.instant();
        jdbc.batch(upsert, accountByDomain.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue(), now}).toList());
    }
}
