package io.closedloop.runtime;

import io.closedloop.cluster.LeaderOnlyRoutes;
import io.closedloop.cluster.PostgresLeaderElection;
import io.closedloop.cluster.PostgresLeaderView;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.state.Dialect;
import io.closedloop.state.StateStore;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.camel.CamelContext;

/** Replicas on one PostgreSQL database: the leader election and the routes only the leader runs (README, Running replicas). */
final class Replicas {
    private Replicas() {
    }

    /** An election on PostgreSQL; none on H2, which serves one daemon, nor for a runtime that starts no route. */
    static PostgresLeaderElection election(ClosedloopSettings settings, StateStore store, Map<String, String> properties) {
        if (store.dialect() != Dialect.POSTGRES || "false".equals(properties.get("camel.main.auto-startup"))) {
            return null;
        }
        return new PostgresLeaderElection(new PostgresLeaderView.Database(settings.dbUrl(), settings.dbUser(), settings.dbPassword().reveal()),
                store.dataSource(), settings.leaderLease(), nodeId());
    }

    /** Registers the election with Camel and puts every scheduled route under it. */
    static void install(CamelContext context, PostgresLeaderElection election) {
        if (election == null) {
            return;
        }
        try {
            context.addService(election);
            // the daemon's view exists even when every scheduled route is switched off, so polls called directly are fenced right
            election.view();
            context.addRoutePolicyFactory(new LeaderOnlyRoutes(context, election));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the leader election", e);
        }
    }

    /** The host name (the pod's, in Kubernetes) and process id: which replica leads, in logs and health. */
    static String nodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
