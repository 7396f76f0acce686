package io.closedloop.cluster;

import io.closedloop.core.Leadership;
import io.closedloop.core.RetriableSyncException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's cluster service on PostgreSQL: one leader per namespace, elected by a session-level advisory lock that the
 * leader holds on a connection of its own (see {@link PostgresLeaderView}). PostgreSQL drops the lock when that
 * session ends, so a killed leader frees it at once, and one cut off from the database within twice the lease.
 */
public final class PostgresLeaderElection extends AbstractCamelClusterService<PostgresLeaderView> implements Leadership {
    /** The namespace of the daemon's polls; every replica of one database elects one leader for it. */
    public static final String NAMESPACE = "closedloop";

    private final PostgresLeaderView.Database database;
    private final Duration lease;
    private final String nodeId;
    private final DataSource store;
    private volatile PostgresLeaderView main;

    /**
     * @param database where the lock is taken, on a connection of the election's own
     * @param store    the state store's pool, for the fencing check of {@link #verify}
     */
    public PostgresLeaderElection(PostgresLeaderView.Database database, DataSource store, Duration lease, String nodeId) {
        super("closedloop-postgres-leader");
        this.database = database;
        this.store = store;
        this.lease = lease;
        this.nodeId = nodeId;
    }

    @Override
    protected PostgresLeaderView createView(String namespace) {
        PostgresLeaderView view = new PostgresLeaderView(this, namespace, database, lease, nodeId);
        if (NAMESPACE.equals(namespace)) {
            main = view;
        }
        return view;
    }

    /** The daemon's view, created on first use so health can ask before any route has. */
    public PostgresLeaderView view() {
        try {
            return (PostgresLeaderView) getView(NAMESPACE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the leader election", e);
        }
    }

    @Override
    public boolean leads() {
        PostgresLeaderView v = main;
        return v != null && v.leads();
    }

    @Override
    public long term() {
        PostgresLeaderView v = main;
        return v == null ? -1 : v.term();
    }

    /**
     * Fencing: this node leads within its lease, and the term in the database is still its own, so no other node
     * took the lead meanwhile. Throws, with nothing written, otherwise.
     */
    @Override
    public void verify(String what) {
        PostgresLeaderView v = main;
        if (v != null && !v.leads()) {
            // the lead may be free right now (the database just came back): one round of the election before refusing
            v.tick();
        }
        Leadership.super.verify(what);
        long current;
        try (Connection c = store.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT term FROM cluster_leader WHERE name = ?")) {
            ps.setString(1, NAMESPACE);
            try (ResultSet rs = ps.executeQuery()) {
                current = rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new RetriableSyncException("NOT_LEADER", "cannot confirm the lead before " + what + ": " + e.getMessage(), e);
        }
        if (current != term()) {
            throw new RetriableSyncException("NOT_LEADER", "another replica leads now (term " + current + ", this one had "
                    + term() + "); " + what + " is left to it", null);
        }
    }

    public String nodeId() {
        return nodeId;
    }
}
