package io.closedloop.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.Leadership;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daemon's durable state: one JDBC database (H2 by default, PostgreSQL in production), migrated at open. */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final CursorStore cursors;
    private final IdentityMap identities;
    private final EventLedger ledger;
    private final ParkedRecords parked;
    private final SyncRuns runs;
    private final SlaClocks slaClocks;
    private final ReverseSlaClocks reverseSlaClocks;
    private final SummaryQueue summaryQueue;
    private final DomainAccounts domainAccounts;
    private final SubjectProfiles profiles;
    private final ContactStates contactStates;
    private final ListMemberships listMemberships;
    private final CampaignMembers campaignMembers;
    private final Dispositions dispositions;
    private final SqlMoments sqlMoments;
    private final ApiBudgetStore apiBudgets;
    private final Jdbc jdbc;
    private volatile Leadership fence = Leadership.SINGLE_NODE;
    /** Readiness probes run here, so a pool waiting for a dead database holds no caller longer than its timeout. */
    private static final java.util.concurrent.ExecutorService PROBES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "closedloop-store-probe");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.CompletableFuture<String> pending;

    private StateStore(HikariDataSource dataSource, Dialect dialect, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbc = new Jdbc(dataSource, StateStoreWriters.of(dialect));
        SqlStatements statements = SqlStatements.of(dataSource, dialect);
        this.cursors = new CursorStore(jdbc, statements, clock, this::fence);
        this.identities = new IdentityMap(jdbc, statements, clock);
        this.ledger = new EventLedger(jdbc, statements, clock);
        this.parked = new ParkedRecords(jdbc, clock);
        this.runs = new SyncRuns(jdbc, clock);
        this.slaClocks = new SlaClocks(jdbc);
        this.reverseSlaClocks = new ReverseSlaClocks(jdbc);
        this.summaryQueue = new SummaryQueue(jdbc, statements, clock);
        this.domainAccounts = new DomainAccounts(jdbc, statements, clock);
        this.profiles = new SubjectProfiles(jdbc, statements, clock);
        this.contactStates = new ContactStates(jdbc, statements, clock);
        this.listMemberships = new ListMemberships(jdbc, statements);
        this.campaignMembers = new CampaignMembers(jdbc, statements, clock);
        this.dispositions = new Dispositions(jdbc, statements, clock);
        this.sqlMoments = new SqlMoments(jdbc, statements, clock);
        this.apiBudgets = new ApiBudgetStore(jdbc, statements);
    }

    public static StateStore open(ClosedloopSettings settings, Clock clock) {
        return open(settings.dbUrl(), settings.dbUser(), settings.dbPassword().reveal(), clock);
    }

    /**
     * H2 writes commits to its file up to half a second late by default, so a kill -9 could lose ledger rows for writes
     * that reached Salesforce, and leave a row pointing at text that never reached the file. Every commit is written at
     * once instead, unless the URL says otherwise.
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }

    /** Opens a pool and brings the schema up to date; fails fast if the database is unreachable. */
    public static StateStore open(String url, String user, String password, Clock clock) {
        Dialect dialect = Dialect.fromUrl(url);
        String jdbcUrl = H2Files.untraced(durable(url));
        H2Files.prepare(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("closedloop-state");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(10_000);
        // the probe stays open until the pool has its first connection: H2 would close the database file with the
        // probe's connection and open it again for the pool's
        Connection probe = reachable(jdbcUrl, user, password);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } finally {
            try {
                probe.close();
            } catch (SQLException e) {
                // the probe has done its part
            }
        }
        try {
            migrate(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        H2Files.restrict(url);
        return new StateStore(dataSource, dialect, clock);
    }

    /** One plain connection first: a store that cannot be opened is one line naming the key, not a pool's stack trace in the log. */
    private static Connection reachable(String url, String user, String password) {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new StateStoreUnavailableException(e);
        }
    }

    static void migrate(DataSource dataSource, Dialect dialect) {
        // a current history has finished migrations, so there is no interrupted first migration to undo either
        if (SchemaHistory.current(dataSource)) {
            return;
        }
        if (dialect == Dialect.H2) {
            H2FirstMigration.undoInterrupted(dataSource);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + SchemaHistory.LOCATION)
                .placeholders(Map.of("text", dialect.textType()))
                .load()
                .migrate();
    }

    /**
     * Runs {@code body}'s writes as one transaction: they commit together or not at all, and a deadlock or lock
     * timeout runs the whole body again, so it must only touch the store.
     */
    public void inTransaction(Runnable body) {
        jdbc.inTransaction(body);
    }

    /**
     * Who may write what must happen once (notes, Tasks, new Leads) and move cursors: the single node always; among
     * replicas, only the leader of the current term. Writers call {@code fence().verify(...)} right before such a write.
     */
    public Leadership fence() {
        return fence;
    }

    /** Set once by the runtime when replicas elect a leader. */
    public void fenceWith(Leadership leadership) {
        this.fence = leadership;
    }

    /**
     * A cheap round trip to the database, for readiness: empty when it answered within {@code timeout}, else why not
     * (one line naming no value). A probe still waiting for the pool is joined, not repeated.
     */
    public java.util.Optional<String> ping(java.time.Duration timeout) {
        java.util.concurrent.CompletableFuture<String> probe;
        synchronized (this) {
            if (pending == null || pending.isDone()) {
                pending = java.util.concurrent.CompletableFuture.supplyAsync(this::probe, PROBES);
            }
            probe = pending;
        }
        try {
            return java.util.Optional.ofNullable(probe.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return java.util.Optional.of("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.of("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return java.util.Optional.of(String.valueOf(e.getCause()));
        }
    }

    private String probe() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? null : "the connection is not valid";
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("").strip();
            return "SQLState " + e.getSQLState() + ": " + message;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public CursorStore cursors() {
        return cursors;
    }

    public IdentityMap identities() {
        return identities;
    }

    public EventLedger ledger() {
        return ledger;
    }

    public ParkedRecords parked() {
        return parked;
    }

    public SyncRuns runs() {
        return runs;
    }

    public SlaClocks slaClocks() {
        return slaClocks;
    }

    public ReverseSlaClocks reverseSlaClocks() {
        return reverseSlaClocks;
    }

    public SummaryQueue summaryQueue() {
        return summaryQueue;
    }

    public DomainAccounts domainAccounts() {
        return domainAccounts;
    }

    public SubjectProfiles profiles() {
        return profiles;
    }

    public ContactStates contactStates() {
        return contactStates;
    }

    public ListMemberships listMemberships() {
        return listMemberships;
    }

    public CampaignMembers campaignMembers() {
        return campaignMembers;
    }

    public Dispositions dispositions() {
        return dispositions;
    }

    /** The API budgets every replica spends from. */
    /** Flow 2's sales-qualified moments and where they have been written. */
    public SqlMoments sqlMoments() {
        return sqlMoments;
    }

    public ApiBudgetStore apiBudgets() {
        return apiBudgets;
    }

    @Override
    public void close() {
        try {
            apiBudgets.flush();
        } catch (RuntimeException e) {
            // a store that cannot be written any more loses at most the calls counted while it was busy
            LOG.warn("API calls counted in memory were not written as the state store closed: {}", e.getMessage());
        }
        dataSource.close();
    }
}
