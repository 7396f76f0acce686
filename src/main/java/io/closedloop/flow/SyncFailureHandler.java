package io.closedloop.flow;

import io.closedloop.core.PausedSyncException;

import io.closedloop.core.SyncException;

import io.closedloop.core.ErrorKind;
import io.closedloop.core.FlowId;

import io.closedloop.log.Redactor;
import io.closedloop.ops.FlowHealth;
import io.closedloop.state.ParkedRecords;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the source routes do with a classified failure that escaped their beans (wired in
 * {@code routes/error-handling.camel.yaml}, {@code source-error-handling}): park the message with its reason,
 * mark the flow paused, or stop the flow and say why in health.
 */
public class SyncFailureHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SyncFailureHandler.class);

    private final ParkedRecords parked;
    private final FlowHealth flowHealth;

    public SyncFailureHandler(ParkedRecords parked, FlowHealth flowHealth) {
        this.parked = parked;
        this.flowHealth = flowHealth;
    }

    /** Parks the failed message under the exchange id, with its reason, kind and code. */
    public void park(Exchange exchange) {
        parkUnder(exchange, null);
    }

    /** Parks the failed message under {@code recordKey} (the exchange id when null), for a route that knows its record. */
    public void parkUnder(Exchange exchange, String recordKey) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // one key per flow, whichever step parked it: a whole batch parks where its events would
        String flow = FlowId.parkedKeyOfRoute(flowOf(exchange));
        String key = recordKey == null ? exchange.getExchangeId() : recordKey;
        String payload = exchange.getIn().getBody(String.class);
        ErrorKind kind = cause instanceof SyncException se ? se.kind() : ErrorKind.RETRIABLE;
        String code = cause instanceof SyncException se ? se.code() : (cause == null ? null : cause.getClass().getSimpleName());
        String reason = Redactor.redact(cause == null ? "unknown failure" : String.valueOf(cause.getMessage()));
        var record = parked.park(flow, key, payload == null ? "" : payload, reason, kind, code);
        LOG.warn("parked record {} of flow {} (attempt {}): {}", record.recordKey(), flow, record.attempts(), reason);
    }

    /**
     * Records that the flow is paused: its API's budget is spent, a limit was reached or its circuit is open. The
     * poll ends without further calls, the cursor stays, and a later poll resumes once the pause is over.
     */
    public void pause(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = flowOf(exchange);
        String reason = Redactor.redact(cause == null ? "paused" : String.valueOf(cause.getMessage()));
        java.time.Instant until = cause instanceof PausedSyncException p ? p.until() : java.time.Instant.now();
        flowHealth.paused(routeId, reason, until);
        LOG.warn("flow {} paused: {}", routeId, reason);
    }

    /** Stops the flow's route and marks readiness DOWN with the reason; never retried. */
    public void stopFlow(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = flowOf(exchange);
        String reason = Redactor.redact(cause == null ? "fatal error" : String.valueOf(cause.getMessage()));
        flowHealth.stopped(routeId, reason);
        LOG.error("flow {} stopped: {}", routeId, reason);
        CamelContext context = exchange.getContext();
        // a route cannot stop itself from its own thread without waiting on its own in-flight exchange
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.error("could not stop flow {}", routeId, e);
            }
        }, "closedloop-stop-" + routeId);
        stopper.setDaemon(true);
        stopper.start();
    }

    /**
     * A poll whose pending retry Camel rejected: while the daemon stops that is the stop itself, said once at INFO
     * (the cursor stays, the next start reads the same window); at any other time it is a defect.
     */
    public void interrupted(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped() || context.getShutdownStrategy().isForceShutdown()) {
            LOG.info("flow {} interrupted by the daemon stopping; the cursor stays and the next start reads the same window",
                    flowOf(exchange));
        } else {
            unexpected(exchange);
        }
    }

    /** An unclassified failure is a defect: logged once with its trace; the run already ended FAILED. */
    public void unexpected(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("flow {} failed unexpectedly; the cursor stays and the next poll tries again", flowOf(exchange), cause);
    }

    private static String flowOf(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        return routeId == null ? "unknown" : routeId;
    }
}
