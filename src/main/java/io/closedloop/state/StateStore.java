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

/**
 * The daemon's durable state: one JDBC database (H2 by default, PostgreSQL in production), migrated at open.
 *
 * <p>{@link #open} returns a migrated store. {@link #opening} returns once the database answered, and migrates on its own
 * thread while the daemon configures the rest: every connection the store hands out, and so every read and write
 * through it, waits for the migration, and fails with its failure.
 */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private final HikariDataSource pool;
    /** The pool behind the migration: what every part of the store, and every caller, reads and writes through. */
    private final DataSource dataSource;
    /** Done once the schema is up to date: connections wait for it. */
    private final java.util.concurrent.CompletableFuture<Void> schema = new java.util.concurrent.CompletableFuture<>();
    /** Done once, after that, every statement of the store is built against it: the start waits for it. */
    private final java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();
    private final SqlStatements statements;
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
    private final StateStoreWriters jdbcWriters;
    private final Jdbc jdbc;
    private volatile Leadership fence = Leadership.SINGLE_NODE;
    /** Readiness probes run here, so a pool waiting for a dead database holds no caller longer than its timeout. */
    private static final java.util.concurrent.ExecutorService PROBES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "closedloop-store-probe");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.CompletableFuture<String> pending;

    private StateStore(HikariDataSource pool, Dialect dialect, Clock clock) {
        this.pool = pool;
        this.dataSource = new MigratedDataSource(pool, () -> await(schema));
        this.dialect = dialect;
        this.jdbcWriters = StateStoreWriters.of(dialect);
        this.jdbc = new Jdbc(dataSource, jdbcWriters);
        this.statements = SqlStatements.of(dataSource, dialect);
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
     * Opens a pool once the database answers (else fails at once, as {@link #open} does) and migrates the schema on a
     * thread of its own: the store's reads and writes wait for it. {@link #awaitSchema} gives the migration's outcome.
     */
    public static StateStore opening(ClosedloopSettings settings, Clock clock) {
        return opening(settings.dbUrl(), settings.dbUser(), settings.dbPassword().reveal(), clock, StateStore::migrate, StateStore::onItsOwnThread);
    }

    private static void onItsOwnThread(Runnable migration) {
        Thread thread = new Thread(migration, "closedloop-store-migration");
        thread.setDaemon(true);
        thread.start();
    }

    /** How a store brings its schema up to date. */
    interface Migration {
        void run(DataSource pool, Dialect dialect);
    }

    /**
     * H2 writes commits to its file from a background thread up to half a second late, and every write makes them
     * durable at once instead ({@code StateStoreWriters.durable}). An H2 URL that sets {@code WRITE_DELAY=0} stops that
     * thread, and with it H2's compaction: its file then grows without bound, so it is named at start.
     */
    static void warnOfNoCompaction(String url) {
        if (H2Files.stopsCompaction(url)) {
            LOG.warn("CLOSEDLOOP_DB_URL sets WRITE_DELAY=0: H2 then never compacts its file, which grows with every write;"
                    + " remove it (every write is made durable at once without it)");
        }
    }

    /** Opens a pool and brings the schema up to date; fails fast if the database is unreachable. */
    public static StateStore open(String url, String user, String password, Clock clock) {
        StateStore store = opening(url, user, password, clock, StateStore::migrate, Runnable::run);
        try {
            store.awaitSchema();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** @param start runs the migration: on the caller's thread, or on one of its own */
    static StateStore opening(String url, String user, String password, Clock clock, Migration migration,
            java.util.function.Consumer<Runnable> start) {
        Dialect dialect = Dialect.fromUrl(url);
        warnOfNoCompaction(url);
        String jdbcUrl = H2Files.untraced(url);
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
        StateStore store = new StateStore(dataSource, dialect, clock);
        start.accept(() -> store.bringUpToDate(migration, url));
        return store;
    }

    private void bringUpToDate(Migration migration, String url) {
        try {
            migration.run(pool, dialect);
            if (dialect == Dialect.H2) {
                // the new schema is on file before anything is written to it
                try (Connection c = pool.getConnection()) {
                    jdbcWriters.durable(c);
                } catch (SQLException e) {
                    throw StateStoreException.of("CHECKPOINT", e);
                }
            }
            H2Files.restrict(url);
            schema.complete(null);
        } catch (RuntimeException | Error e) {
            schema.completeExceptionally(e);
            ready.completeExceptionally(e);
            return;
        }
        try {
            statements.buildAll();
            ready.complete(null);
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
        }
    }

    /**
     * Returns once the schema is up to date, or throws what stopped its migration (the same failure every read and
     * write of this store then meets).
     */
    public void awaitSchema() {
        await(ready);
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> step) {
        try {
            step.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
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
            return java.util.Optional.of(ready.isDone() ? "no answer within " + timeout.toMillis() + " ms" : "the schema is still being migrated");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.of("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return java.util.Optional.of(String.valueOf(e.getCause()));
        }
    }

    private String probe() {
        // a probe during the migration waits for it, as every connection does
        if (ready.isCompletedExceptionally()) {
            return "the schema migration failed";
        }
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
        // a migration still running ends first: closing its pool under it would leave a half-migrated schema
        try {
            ready.join();
        } catch (RuntimeException e) {
            // its failure was the start's to report
        }
        pool.close();
    }
}
