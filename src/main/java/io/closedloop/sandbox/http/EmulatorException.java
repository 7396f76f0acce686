package io.closedloop.sandbox.http;

/** Thrown by a handler to answer with a specific error response (e.g. a documented 400 body). */
public class EmulatorException extends RuntimeException {
    private final transient EmulatorResponse response;

    public EmulatorException(EmulatorResponse response) {
        super("HTTP " + response.status());
        this.response = response;
    }

    public EmulatorResponse response() {
        return response;
    }
}
