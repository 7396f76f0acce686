package io.closedloop.sandbox.salesforce;

import static io.closedloop.sandbox.salesforce.SalesforceApiRoutes.DATA;

import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.EmulatorServer;
import io.closedloop.sandbox.http.FaultPlan;
import java.io.IOException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Map;

/**
 * A local Salesforce REST API for tests and the benchmark: OAuth, SOQL query, sObject Collections, Composite,
 * single records, describe, limits and Bulk API 2.0 ingest, on one {@link EmulatorServer}. Journal endpoint names start with
 * {@code salesforce.}.
 */
public final class SalesforceEmulator implements AutoCloseable {
    public record Config(Clock clock, long seed, String clientId, String clientSecret, String username, String password,
                         RSAPublicKey jwtPublicKey, long dailyApiLimit, int queryBatchSize) {

        public static Config defaults() {
            return new Config(Clock.systemUTC(), 42, "sandbox-client-id", "sandbox-client-secret",
                    "integration@closedloop.sandbox", "sandbox-password", null, 1_000_000, 2000);
        }

        public Config withClock(Clock v) {
            return new Config(v, seed, clientId, clientSecret, username, password, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withSeed(long v) {
            return new Config(clock, v, clientId, clientSecret, username, password, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withClientId(String v) {
            return new Config(clock, seed, v, clientSecret, username, password, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withClientSecret(String v) {
            return new Config(clock, seed, clientId, v, username, password, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withUsername(String v) {
            return new Config(clock, seed, clientId, clientSecret, v, password, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withPassword(String v) {
            return new Config(clock, seed, clientId, clientSecret, username, v, jwtPublicKey, dailyApiLimit, queryBatchSize);
        }

        public Config withJwtPublicKey(RSAPublicKey v) {
            return new Config(clock, seed, clientId, clientSecret, username, password, v, dailyApiLimit, queryBatchSize);
        }

        public Config withDailyApiLimit(long v) {
            return new Config(clock, seed, clientId, clientSecret, username, password, jwtPublicKey, v, queryBatchSize);
        }

        public Config withQueryBatchSize(int v) {
            return new Config(clock, seed, clientId, clientSecret, username, password, jwtPublicKey, dailyApiLimit, v);
        }
    }

    private final EmulatorServer server;
    private final SalesforceOrg org;
    private final SalesforceOAuthHandler oauth;
    private final SalesforceBulkAllocation bulkAllocation;
    private final SalesforceCompositeHandler composite;

    public SalesforceEmulator(Config config) {
        this.org = new SalesforceOrg(SalesforceSchema.load(), config.clock(), config.seed(), config.username());
        this.server = new EmulatorServer("salesforce", new SalesforceFaultRenderer(), config.clock(), config.seed());
        this.oauth = new SalesforceOAuthHandler(config, org, this::baseUrl);
        SalesforceQueryHandler query = new SalesforceQueryHandler(org, config.queryBatchSize());
        SalesforceCollectionsHandler collections = new SalesforceCollectionsHandler(org);
        SalesforceSObjectHandler sobjects = new SalesforceSObjectHandler(org);
        this.bulkAllocation = new SalesforceBulkAllocation(config.clock());
        SalesforceMetadataHandler metadata = new SalesforceMetadataHandler(org, config.dailyApiLimit(), bulkAllocation);
        SalesforceBulkIngestHandler bulk = new SalesforceBulkIngestHandler(org, bulkAllocation, config.clock());
        SalesforceApiRoutes api = new SalesforceApiRoutes();
        composite = new SalesforceCompositeHandler(org, api);
        api.add("salesforce.query", "GET", DATA + "/(?:query|queryAll)/?", query::query)
                .add("salesforce.query.more", "GET", DATA + "/(?:query|queryAll)/(01g[0-9A-Za-z]+)-(\\d+)", query::queryMore)
                .add("salesforce.collections.create", "POST", DATA + "/composite/sobjects/?", collections::create)
                .add("salesforce.collections.update", "PATCH", DATA + "/composite/sobjects/?", collections::update)
                .add("salesforce.collections.upsert", "PATCH", DATA + "/composite/sobjects/(\\w+)/(\\w+)/?", collections::upsert)
                .add("salesforce.composite", "POST", DATA + "/composite/?", composite::composite)
                .add("salesforce.describe", "GET", DATA + "/sobjects/(\\w+)/describe/?", metadata::describe)
                .add("salesforce.sobject.create", "POST", DATA + "/sobjects/(\\w+)/?", sobjects::create)
                .add("salesforce.sobject.get", "GET", DATA + "/sobjects/(\\w+)/([^/]+)/?", sobjects::get)
                .add("salesforce.sobject.update", "PATCH", DATA + "/sobjects/(\\w+)/([^/]+)/?", sobjects::update)
                .add("salesforce.sobject.upsert", "PATCH", DATA + "/sobjects/(\\w+)/(\\w+)/([^/]+)/?", sobjects::upsert)
                .add("salesforce.limits", "GET", DATA + "/limits/?", metadata::limits)
                .add("salesforce.bulk.create", "POST", DATA + "/jobs/ingest/?", bulk::create)
                .add("salesforce.bulk.upload", "PUT", DATA + "/jobs/ingest/(\\w+)/batches/?", bulk::upload)
                .add("salesforce.bulk.close", "PATCH", DATA + "/jobs/ingest/(\\w+)/?", bulk::close)
                .add("salesforce.bulk.status", "GET", DATA + "/jobs/ingest/(\\w+)/?", bulk::status)
                .add("salesforce.bulk.successful", "GET", DATA + "/jobs/ingest/(\\w+)/successfulResults/?", bulk::successfulResults)
                .add("salesforce.bulk.failed", "GET", DATA + "/jobs/ingest/(\\w+)/failedResults/?", bulk::failedResults)
                .add("salesforce.bulk.unprocessed", "GET", DATA + "/jobs/ingest/(\\w+)/unprocessedrecords/?", bulk::unprocessedRecords);
        server.route("salesforce.token", "POST", "/services/oauth2/token", (req, m) -> oauth.token(req))
                .route("salesforce.revoke", "POST", "/services/oauth2/revoke", (req, m) -> oauth.revoke(req))
                .route("salesforce.revoke", "GET", "/services/oauth2/revoke", (req, m) -> oauth.revoke(req))
                .route("salesforce.versions", "GET", "/services/data/?", metadata::versions);
        api.registerOn(server);
        SalesforceApiGuard guard = new SalesforceApiGuard(oauth, org, config.dailyApiLimit());
        server.filter(guard).decorate(guard);
    }

    /** Starts on the loopback port (0 picks a free one). */
    public SalesforceEmulator start(int port) throws IOException {
        server.start(port);
        return this;
    }

    /** The login URL, which is also the instance_url of every token. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /**
     * Composite subrequests answered, by endpoint name and the path's first group: {@code salesforce.collections.upsert
     * CampaignMember} counts the Collections upserts of CampaignMembers that travelled inside Composite calls.
     */
    public Map<String, Long> compositeSubrequests() {
        return composite.subrequests();
    }

    public CallJournal journal() {
        return server.journal();
    }

    public FaultPlan faults() {
        return server.faults();
    }

    /** The daily Bulk API record and batch allocations. */
    public SalesforceBulkAllocation bulkAllocation() {
        return bulkAllocation;
    }

    public SalesforceOrg org() {
        return org;
    }

    /** Every issued token becomes invalid: the next API call gets 401 INVALID_SESSION_ID. */
    public void expireSessions() {
        oauth.expireAll();
    }

    @Override
    public void close() {
        server.close();
    }

}
