package io.closedloop.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One election: every {@code lease / 5} a standby tries {@code pg_try_advisory_lock} on its own connection, and the
 * leader checks that connection is alive. The leader stops leading (fencing) when it has not confirmed its session
 * for a whole lease; the server ends a session idle for twice the lease ({@code idle_session_timeout}), which frees
 * the lock after the old leader has stopped. Taking the lead adds one to the namespace's term in
 * {@code cluster_leader}: the fencing token.
 */
public final class PostgresLeaderView extends AbstractCamelClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaderView.class);
    /** The advisory lock's first key: "Clos" in ASCII, so it never meets another application's lock by chance. */
    static final int LOCK_CLASS = 0x436c6f73;

    /** Where the lock lives: the state store's URL and login. */
    public record Database(String url, String user, String password) {
        @Override
        public String toString() {
            return "Database[" + url + "]";
        }
    }

    private final Database database;
    private final Duration lease;
    private final String nodeId;
    private final Member local = new Member();
    private ScheduledExecutorService ticker;
    private ExecutorService events;
    private Connection session;
    private volatile boolean leader;
    private volatile long term = -1;
    private volatile long confirmedAt;
    private volatile Instant since;

    PostgresLeaderView(PostgresLeaderElection service, String namespace, Database database, Duration lease, String nodeId) {
        super(service, namespace);
        this.database = database;
        this.lease = lease;
        this.nodeId = nodeId;
    }

    /** Leads, and confirmed its database session within the lease: past it, a standby may soon hold the lock. */
    public boolean leads() {
        return leader && System.nanoTime() - confirmedAt < lease.toNanos();
    }

    public long term() {
        return term;
    }

    /** When this node took the lead, or null. */
    public Instant since() {
        return leader ? since : null;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leads() ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    @Override
    protected void doStart() {
        events = Executors.newSingleThreadExecutor(r -> thread(r, "closedloop-leader-events"));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "closedloop-leader-election"));
        long every = Math.max(200, lease.toMillis() / 5);
        // the first round before the context runs anything: a lone daemon leads from its first poll
        tick();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
        // a graceful stop hands the lead over at once: closing the session frees the lock
        boolean was = leader;
        leader = false;
        closeSession();
        if (was) {
            LOG.info("gave up the lead of {} (term {}) on shutdown", getNamespace(), term);
            fire();
        }
        events.shutdown();
        events.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: open the session if needed, then confirm the lead or try to take it. */
    synchronized void tick() {
        try {
            if (session == null) {
                session = open();
            }
            if (leader) {
                try (Statement st = session.createStatement()) {
                    st.execute("SELECT 1");
                }
                confirmedAt = System.nanoTime();
            } else if (tryLock()) {
                term = nextTerm();
                since = Instant.now();
                confirmedAt = System.nanoTime();
                leader = true;
                LOG.info("took the lead of {} (term {}, node {})", getNamespace(), term, nodeId);
                fire();
            }
        } catch (SQLException | RuntimeException e) {
            lose("the leader election's database session failed: " + e.getMessage());
            return;
        }
        if (leader && !leads()) {
            lose("the database session was not confirmed for " + lease.toSeconds() + " s");
        }
    }

    private void lose(String why) {
        closeSession();
        if (leader) {
            leader = false;
            LOG.warn("lost the lead of {} (term {}): {}; polling stops until this node leads again", getNamespace(), term, why);
            fire();
        } else {
            LOG.debug("leader election round failed: {}", why);
        }
    }

    private void fire() {
        events.execute(() -> fireLeadershipChangedEvent(leader ? local : null));
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password());
        // a read that hangs (the network is gone) fails within half a lease, so the lease runs out on time
        long half = Math.max(1, lease.toSeconds() / 2);
        props.setProperty("socketTimeout", Long.toString(half));
        props.setProperty("connectTimeout", Long.toString(half));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "closedloop-leader-election");
        Connection c = DriverManager.getConnection(database.url(), props);
        try (Statement st = c.createStatement()) {
            // the server ends this session, and frees the lock, when the leader has been silent for twice its lease
            st.execute("SET idle_session_timeout = " + lease.toMillis() * 2);
        } catch (SQLException e) {
            // PostgreSQL before 14: TCP keepalives end a session whose peer is gone, later than the lease
            LOG.warn("PostgreSQL has no idle_session_timeout (version 14 or later has): a leader cut off from the database"
                    + " frees the lead only when TCP keepalives end its session");
            c.close();
            c = DriverManager.getConnection(database.url(), props);
        }
        return c;
    }

    private boolean tryLock() throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, getNamespace().hashCode());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Only the lock holder gets here, so terms never repeat. */
    private long nextTerm() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement ps = session.prepareStatement("INSERT INTO cluster_leader (name, term, holder, since) VALUES (?, 1, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET term = cluster_leader.term + 1, holder = EXCLUDED.holder, since = EXCLUDED.since"
                + " RETURNING term")) {
            ps.setString(1, getNamespace());
            ps.setString(2, nodeId);
            ps.setObject(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("closing the leader election session: {}", e.getMessage());
            }
            session = null;
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private final class Member implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return leads();
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return nodeId;
        }
    }

    /** For health: the role details of this node. */
    public Map<String, Object> details() {
        return leads() ? Map.of("term", term, "since", String.valueOf(since), "node", nodeId) : Map.of("node", nodeId);
    }
}
