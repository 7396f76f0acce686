package io.closedloop.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Every scheduled route (a {@code quartz:} trigger: the polls, the retries, the SLA watch, retention) runs on the
 * leader only, through Camel's {@link ClusteredRoutePolicy}: it starts them when this node takes the lead and stops
 * them when it loses it. Routes switched off (a flow toggle) stay off on the leader too; routes called by others
 * ({@code direct:}) stay up everywhere, so a standby serves replay and ops.
 */
public final class LeaderOnlyRoutes implements RoutePolicyFactory {
    private final ClusteredRoutePolicy clustered;

    public LeaderOnlyRoutes(CamelContext context, PostgresLeaderElection election) throws Exception {
        this.clustered = ClusteredRoutePolicy.forNamespace(election, PostgresLeaderElection.NAMESPACE);
        clustered.setCamelContext(context);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode node) {
        if (node instanceof RouteDefinition route && route.getInput() != null && route.getInput().getEndpointUri() != null
                && route.getInput().getEndpointUri().startsWith("quartz:")) {
            return new IfAutoStartup(clustered);
        }
        return null;
    }

    /**
     * The clustered policy starts every route it manages once it leads, including routes that were never to start,
     * so it only sees the routes that start by themselves.
     */
    static final class IfAutoStartup extends RoutePolicySupport {
        private final ClusteredRoutePolicy clustered;

        IfAutoStartup(ClusteredRoutePolicy clustered) {
            this.clustered = clustered;
        }

        @Override
        public void onInit(Route route) {
            if (!route.isAutoStartup()) {
                return;
            }
            ServiceHelper.initService(clustered);
            clustered.onInit(route);
            ServiceHelper.startService(clustered);
        }

        @Override
        protected void doShutdown() {
            ServiceHelper.stopAndShutdownService(clustered);
        }
    }
}
