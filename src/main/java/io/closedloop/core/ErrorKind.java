package io.closedloop.core;

/** Every failure is sorted into one of these, in one place per system. */
public enum ErrorKind {
    /** Transient (I/O, 429, 5xx, row locks, API allocation): back off and try again. */
    RETRIABLE,
    /** One bad record: park it with its reason; the batch goes on. */
    SKIPPABLE,
    /** Bad credentials or missing metadata: the flow stops and health says why. */
    FATAL
}
