package io.closedloop.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/** The policy of test-resources start-marker/route-start-marker.camel.yaml: counts the times its route started. */
public class RouteStartMarker extends RoutePolicySupport {
    static final AtomicInteger STARTS = new AtomicInteger();

    @Override
    public void onStart(Route route) {
        STARTS.incrementAndGet();
    }
}
