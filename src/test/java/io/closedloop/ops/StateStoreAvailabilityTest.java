package io.closedloop.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.core.PausedSyncException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StateStoreAvailabilityTest {
    private final AtomicReference<Optional<String>> answer = new AtomicReference<>(Optional.empty());
    private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    private final StateStoreAvailability store = new StateStoreAvailability(timeout -> answer.get(), clock, Duration.ofSeconds(30));

    @Test
    void aStoreThatAnswersLetsThePollGoOn() {
        store.verify();
        assertThat(store.check().up()).isTrue();
    }

    @Test
    void aStoreThatDoesNotAnswerPausesThePollUntilItsNextRunWithTheReasonMasked() {
        answer.set(Optional.of("FATAL: password authentication failed for user jane.doe@example.com"));
        assertThatThrownBy(store::verify).isInstanceOfSatisfying(PausedSyncException.class, e -> {
            assertThat(e.code()).isEqualTo("STATE_STORE_UNAVAILABLE");
            assertThat(e.until()).isEqualTo(clock.instant().plusSeconds(30));
            assertThat(e.getMessage()).startsWith("state store unavailable: ").doesNotContain("jane.doe@example.com");
        });
        assertThat(store.last().up()).isFalse();
        assertThat(store.last().since()).isEqualTo(clock.instant());
    }

    @Test
    void theStoreIsUpAgainAtTheFirstProbeItAnswers() {
        answer.set(Optional.of("no answer within 2000 ms"));
        assertThat(store.check().up()).isFalse();
        answer.set(Optional.empty());
        assertThat(store.check().up()).isTrue();
        store.verify();
    }
}
