package io.closedloop.sandbox.http;

/** Each emulator renders injected faults in its own system's documented error shapes. */
public interface FaultRenderer {
    EmulatorResponse serverError(int status, EmulatorRequest request);

    EmulatorResponse rateLimited(String variant, EmulatorRequest request);

    EmulatorResponse notFound(EmulatorRequest request);
}
