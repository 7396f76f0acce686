package io.closedloop.core;

/** What writing one batch came to: events received, already written before, written now, parked, and the API calls it took. */
public record WriteOutcome(int received, int alreadyWritten, int written, int parked, long apiCalls) {
}
