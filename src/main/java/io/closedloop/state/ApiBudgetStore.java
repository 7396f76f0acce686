package io.closedloop.state;

import io.closedloop.core.ApiBudget;
import io.closedloop.core.SharedBudgetState;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API budgets of the whole cluster: calls per API and day, and the pause every replica honours. On H2, which takes
 * one writer at a time, a call made while another writer holds the store (a poll recording a chunk of thousands of
 * activities) is counted in memory and written with the next call that finds the store free, or when the store
 * closes: a HubSpot call never waits for another thread's transaction to be counted.
 */
public final class ApiBudgetStore implements SharedBudgetState {
    private final Jdbc jdbc;
    private final SqlStatements.Write count;
    private final SqlStatements.Write upsertPause;

    private record Day(String api, LocalDate day) {
    }

    /** Calls counted but not written yet, and each day's total as last read back; guarded by this. */
    private final Map<Day, Long> unwritten = new HashMap<>();
    private final Map<Day, Long> stored = new HashMap<>();

    ApiBudgetStore(Jdbc jdbc, SqlStatements statements) {
        this.jdbc = jdbc;
        this.count = statements.insertOrAccumulate("api_budget_day", List.of("api", "call_day"), List.of("calls"), List.of(), "api", "call_day", "calls");
        this.upsertPause = statements.upsert("api_budget_pause", List.of("api"), "api", "code", "reason", "paused_until");
    }

    @Override
    public synchronized long countCall(String api, LocalDate day) {
        Day key = new Day(api, day);
        unwritten.merge(key, 1L, Long::sum);
        // a day other than this one is over: its total no longer decides anything
        stored.keySet().removeIf(d -> d.day().isBefore(day));
        try {
            write(false);
        } catch (RuntimeException e) {
            // the call is not made: it is not counted either
            unwritten.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
            throw e;
        }
        return stored.getOrDefault(key, 0L) + unwritten.getOrDefault(key, 0L);
    }

    /** Writes the calls counted in memory, waiting for the store if it must; the store calls it as it closes. */
    synchronized void flush() {
        write(true);
    }

    /** Adds the unwritten calls to the shared counts and reads the totals back; without waiting unless {@code wait}. */
    private void write(boolean wait) {
        if (unwritten.isEmpty()) {
            return;
        }
        Map<Day, Long> totals = new HashMap<>();
        Runnable body = () -> unwritten.forEach((d, calls) -> {
            // one statement, atomic on both databases: replicas never lose each other's counts
            jdbc.update(count, d.api(), d.day(), calls);
            totals.put(d, jdbc.queryOne("SELECT calls FROM api_budget_day WHERE api = ? AND call_day = ?", rs -> rs.getLong(1),
                    d.api(), d.day()).orElse(calls));
        });
        if (wait) {
            jdbc.inTransaction(body);
        } else if (!jdbc.inTransactionIfFree(body)) {
            return;
        }
        // only once committed: a failed write keeps its calls for the next one
        unwritten.clear();
        stored.putAll(totals);
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
