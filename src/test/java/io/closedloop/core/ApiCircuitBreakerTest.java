package io.closedloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiCircuitBreakerTest {
    private final ApiCircuitBreaker breaker = new ApiCircuitBreaker("hubspot", "HubSpot", Clock.systemUTC(),
            new ApiCircuitBreaker.Settings(3, Duration.ofMillis(200)));

    private void fail() {
        breaker.failed(breaker.acquire(), new IOException("reset"));
    }

    @Test
    void opensAfterRepeatedFailuresAndRefusesWithoutACall() {
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo("CLOSED");
        fail();
        assertThat(breaker.state()).isEqualTo("OPEN");
        assertThatThrownBy(breaker::acquire).isInstanceOfSatisfying(PausedSyncException.class,
                p -> assertThat(p.code()).isEqualTo("CIRCUIT_OPEN"));
    }

    @Test
    void answersThatProveTheApiIsUpDoNotOpenIt() {
        for (int i = 0; i < 10; i++) {
            breaker.answered(breaker.acquire());
        }
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo("CLOSED");
    }

    @Test
    void halfOpensAfterTheWaitAndOneGoodCallClosesIt() throws Exception {
        fail();
        fail();
        fail();
        Thread.sleep(300);
        long trial = breaker.acquire();
        assertThat(breaker.state()).isEqualTo("HALF_OPEN");
        breaker.answered(trial);
        assertThat(breaker.state()).isEqualTo("CLOSED");
    }
}
