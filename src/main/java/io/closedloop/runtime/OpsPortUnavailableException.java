package io.closedloop.runtime;

/** The ops server cannot listen where it is told to; the message names the setting, and the daemon exits 2. */
public class OpsPortUnavailableException extends RuntimeException {
    OpsPortUnavailableException(String message) {
        super(message);
    }
}
