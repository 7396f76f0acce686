package io.closedloop.state;

import io.closedloop.core.ApiBudget;
import io.closedloop.core.SharedBudgetState;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The API budgets of the whole cluster: calls per API and day, and the pause every replica honours. */
public final class ApiBudgetStore implements SharedBudgetState {
    private final Jdbc jdbc;
    private final String count;
    private final String upsertPause;

    ApiBudgetStore(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.count = dialect.insertOrIncrement("api_budget_day", List.of("api", "call_day"), "calls", "api", "call_day", "calls");
        this.upsertPause = dialect.upsert("api_budget_pause", List.of("api"), "api", "code", "reason", "paused_until");
    }

    @Override
    public long countCall(String api, LocalDate day) {
        // one statement, atomic on both databases: replicas never lose each other's counts
        jdbc.update(count, api, day, 1L);
        return jdbc.queryOne("SELECT calls FROM api_budget_day WHERE api = ? AND call_day = ?", rs -> rs.getLong(1), api, day).orElse(0L);
    }

    @Override
    public Optional<ApiBudget.Pause> pause(String api) {
        return jdbc.queryOne("SELECT code, reason, paused_until FROM api_budget_pause WHERE api = ?",
                rs -> new ApiBudget.Pause(rs.getString("code"), rs.getString("reason"), Jdbc.instant(rs, "paused_until")), api);
    }

    @Override
    public void pause(String api, ApiBudget.Pause pause) {
        if (pause == null) {
            jdbc.update("DELETE FROM api_budget_pause WHERE api = ?", api);
        } else {
            jdbc.update(upsertPause, api, pause.code(), pause.reason().length() <= 1000 ? pause.reason() : pause.reason().substring(0, 1000),
                    pause.until());
        }
    }
}
