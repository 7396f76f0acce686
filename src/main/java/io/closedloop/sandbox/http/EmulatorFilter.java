package io.closedloop.sandbox.http;

/** Runs before every handler (auth, rate limits, API allocation); a non-null answer short-circuits the call. */
@FunctionalInterface
public interface EmulatorFilter {
    EmulatorResponse before(String endpoint, EmulatorRequest request);
}
