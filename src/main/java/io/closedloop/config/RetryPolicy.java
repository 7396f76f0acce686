package io.closedloop.config;

import java.time.Duration;

/** Redelivery of a retriable failure: at most {@code maxRedeliveries}, the delay doubling from the initial to the maximum. */
public record RetryPolicy(int maxRedeliveries, Duration initialDelay, Duration maxDelay) {
}
