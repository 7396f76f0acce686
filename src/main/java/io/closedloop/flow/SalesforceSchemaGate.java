package io.closedloop.flow;

import io.closedloop.salesforce.SalesforceSchemaCheck;

import io.closedloop.ops.FlowHealth;
import io.closedloop.core.FatalSyncException;
import io.closedloop.core.FlowId;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Flow 1 from running against an org that lacks what it writes. The schema check runs once at startup and,
 * while its verdict is unknown, again as the first step of every poll. Problems stop every Flow 1 route and turn
 * readiness DOWN with the problems as the reason, like any fatal error; an operator deploys and restarts.
 */
public class SalesforceSchemaGate {
    /** The activity sink, shared by every engagement source, stops with them. */
    public static final String SINK_ROUTE = "salesforce-activity-sink";

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSchemaGate.class);

    private enum Verdict { UNKNOWN, PASSED, FAILED }

    private final SalesforceSchemaCheck check;
    private final FlowHealth flowHealth;
    private final CamelContext context;
    private Verdict verdict = Verdict.UNKNOWN;
    private String reason;

    public SalesforceSchemaGate(SalesforceSchemaCheck check, FlowHealth flowHealth, CamelContext context) {
        this.check = check;
        this.flowHealth = flowHealth;
        this.context = context;
    }

    /** The routes the verdict governs: the flow that writes what the check verifies. */
    public static boolean governs(String routeId) {
        return routeId.equals(SINK_ROUTE) || FlowId.ofRoute(routeId).filter(FlowId::governedBySchema).isPresent();
    }

    /**
     * The startup check. A Salesforce that cannot answer (down, unreachable, refusing the login) does not block
     * startup: the verdict stays unknown and the first poll asks again, where a failure takes the route's usual path
     * (retriable: redelivered and the run recorded as failed; fatal: the flow stops with the reason).
     */
    public void checkAtStartup() {
        try {
            verify();
        } catch (FatalSyncException e) {
            if (!failed()) {
                LOG.warn("Salesforce schema not checked at startup ({}); checking again before the first poll", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("Salesforce schema not checked at startup ({}); checking again before the first poll", e.getMessage());
        }
    }

    /** Route step before each poll: returns once the schema is known to be good, throws while it is known to be bad. */
    public synchronized void verify() {
        if (verdict == Verdict.UNKNOWN) {
            List<String> problems = check.problems();
            if (problems.isEmpty()) {
                verdict = Verdict.PASSED;
                LOG.info("Salesforce schema: every field Flow 1 writes exists and is writable");
            } else {
                verdict = Verdict.FAILED;
                reason = SalesforceSchemaCheck.summary(problems);
                LOG.error(reason);
                stopFlows(reason);
            }
        }
        if (verdict == Verdict.FAILED) {
            throw new FatalSyncException("SCHEMA_MISMATCH", reason, null);
        }
    }

    /** "unknown", "ok", or the problems: for logs, tests and the ops page. */
    public synchronized String status() {
        return switch (verdict) {
            case UNKNOWN -> "unknown";
            case PASSED -> "ok";
            case FAILED -> reason;
        };
    }

    private synchronized boolean failed() {
        return verdict == Verdict.FAILED;
    }

    private void stopFlows(String why) {
        List<String> ids = context.getRoutes().stream().map(Route::getRouteId).filter(SalesforceSchemaGate::governs).sorted().toList();
        ids.forEach(id -> flowHealth.stopped(id, why));
        // stopping waits for in-flight exchanges, which may include the poll that is calling us
        Thread stopper = new Thread(() -> ids.forEach(id -> {
            try {
                context.getRouteController().stopRoute(id);
            } catch (Exception e) {
                LOG.error("could not stop flow {}", id, e);
            }
        }), "closedloop-schema-stop");
        stopper.setDaemon(true);
        stopper.start();
    }
}
