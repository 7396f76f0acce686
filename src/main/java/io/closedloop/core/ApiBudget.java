package io.closedloop.core;

import java.time.Instant;
import java.util.Optional;

/** What health and metrics read from each remote API's governor (HubSpotBudget, SalesforceBudget). */
public interface ApiBudget {
    /** Why calls to an API are held back, and until when. */
    record Pause(String code, String reason, Instant until) {
    }

    /** "hubspot" or "salesforce": the {@code api} tag of the metrics. */
    String api();

    /** Calls left in the daily budget; -1 until the API has reported its usage. */
    long remaining();

    /** The daily budget in calls; -1 until known. */
    long limit();

    /** Present while calls are held back. */
    Optional<Pause> pause();

    /** The circuit breaker's state: CLOSED, OPEN or HALF_OPEN. */
    String circuitState();
}
