package io.closedloop.core;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of an API budget that must hold for every replica together: the calls made per day and a pause. The
 * state store keeps it (so replicas on one database share it); a lone governor in a test keeps it in memory.
 */
public interface SharedBudgetState {
    /** Counts one call of {@code api} on {@code day}; returns the calls of that day so far, this one included. */
    long countCall(String api, LocalDate day);

    /** The pause last set for {@code api}, over or not. */
    Optional<ApiBudget.Pause> pause(String api);

    /** Sets the pause every replica honours, or clears it ({@code null}). */
    void pause(String api, ApiBudget.Pause pause);

    /** State of one process only. */
    static SharedBudgetState inMemory() {
        return new SharedBudgetState() {
            private final Map<String, Long> calls = new ConcurrentHashMap<>();
            private final Map<String, ApiBudget.Pause> pauses = new ConcurrentHashMap<>();

            @Override
            public long countCall(String api, LocalDate day) {
                return calls.merge(api + "@" + day, 1L, Long::sum);
            }

            @Override
            public Optional<ApiBudget.Pause> pause(String api) {
                return Optional.ofNullable(pauses.get(api));
            }

            @Override
            public void pause(String api, ApiBudget.Pause pause) {
                if (pause == null) {
                    pauses.remove(api);
                } else {
                    pauses.put(api, pause);
                }
            }
        };
    }
}
