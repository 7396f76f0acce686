package io.closedloop.core;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One resilience4j circuit breaker per remote API, used by its client around each HTTP call (not the route EIP):
 * the client knows which failures mean "the API is down" (5xx, I/O) and which do not (a bad record, a rate limit),
 * and every flow that shares the API shares its breaker. While open, calls fail at once without a request.
 */
public final class ApiCircuitBreaker {
    /** Failures within a window of this many calls that open the breaker, and how long it stays open. */
    public record Settings(int failuresToOpen, Duration openFor) {
        public static Settings defaults() {
            return new Settings(5, Duration.ofMinutes(1));
        }
    }

    private final String api;
    private final String label;
    private final Clock clock;
    private final Duration openFor;
    private final CircuitBreaker breaker;
    private volatile Instant openedAt = Instant.EPOCH;

    public ApiCircuitBreaker(String api, String label, Clock clock, Settings settings) {
        this.api = api;
        this.label = label;
        this.clock = clock;
        this.openFor = settings.openFor();
        int window = Math.max(10, settings.failuresToOpen() * 2);
        this.breaker = CircuitBreaker.of(api, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(settings.failuresToOpen())
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.openFor())
                // one trial call decides whether the API is back
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
        });
    }

    /** Before a call: returns a start mark, or throws without calling while the breaker is open. */
    public long acquire() {
        if (!breaker.tryAcquirePermission()) {
            Instant until = openedAt.plus(openFor);
            throw new PausedSyncException(api, "CIRCUIT_OPEN", label + " circuit open after repeated failures (5xx, timeouts); "
                    + "next trial call after " + until, until);
        }
        return System.nanoTime();
    }

    /** The API answered (any 2xx, or a 4xx/429 that proves it is up). */
    public void answered(long start) {
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** The API failed as a whole (5xx, timeout, reset, unreadable body). */
    public void failed(long start, Throwable cause) {
        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    public String state() {
        return breaker.getState().name();
    }
}
