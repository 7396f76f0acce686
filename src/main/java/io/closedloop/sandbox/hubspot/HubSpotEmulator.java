package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.CallJournal;
import io.closedloop.sandbox.http.EmulatorServer;
import io.closedloop.sandbox.http.FaultPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * A local HubSpot for tests and the benchmark, following the HubSpot API contract reference (hubspot-api.md): bearer auth, the email,
 * forms, contacts, properties, notes and lists endpoints the daemon uses, HubSpot's rate limits and
 * error shapes, and the shared fault and latency knobs.
 */
public final class HubSpotEmulator implements AutoCloseable {
    public enum Tier { STARTER, PROFESSIONAL, ENTERPRISE }

    public static final String DEFAULT_TOKEN = "pat-na1-00000000-sand-box0-0000-000000000000";

    /** Settings fixed at construction; the finer knobs are setters on the emulator. */
    public record Config(Clock clock, long seed, Set<String> tokens, int burstPer10s, long dailyLimit,
                         int searchPerSecond, int searchResultCap, long portalId) {
        public Config {
            tokens = Set.copyOf(tokens);
        }

        public static Config defaults() {
            return new Config(Clock.systemUTC(), 42, Set.of(DEFAULT_TOKEN), 190, 625_000, 5, 10_000, 1_234_567);
        }

        /** The burst and daily limits of a tier (§11.1); FREE has the STARTER numbers. */
        public Config withTier(Tier tier) {
            return switch (tier) {
                case STARTER -> withBurstPer10s(100).withDailyLimit(250_000);
                case PROFESSIONAL -> withBurstPer10s(190).withDailyLimit(625_000);
                case ENTERPRISE -> withBurstPer10s(190).withDailyLimit(1_000_000);
            };
        }

        public Config withClock(Clock v) {
            return new Config(v, seed, tokens, burstPer10s, dailyLimit, searchPerSecond, searchResultCap, portalId);
        }

        /** HubSpot's clock this much ahead of (negative: behind) the given one: event times, the Date header, everything. */
        public Config withClockSkew(Duration skew) {
            return withClock(Clock.offset(clock, skew));
        }

        public Config withSeed(long v) {
            return new Config(clock, v, tokens, burstPer10s, dailyLimit, searchPerSecond, searchResultCap, portalId);
        }

        public Config withTokens(Set<String> v) {
            return new Config(clock, seed, v, burstPer10s, dailyLimit, searchPerSecond, searchResultCap, portalId);
        }

        public Config withBurstPer10s(int v) {
            return new Config(clock, seed, tokens, v, dailyLimit, searchPerSecond, searchResultCap, portalId);
        }

        public Config withDailyLimit(long v) {
            return new Config(clock, seed, tokens, burstPer10s, v, searchPerSecond, searchResultCap, portalId);
        }

        public Config withSearchPerSecond(int v) {
            return new Config(clock, seed, tokens, burstPer10s, dailyLimit, v, searchResultCap, portalId);
        }

        public Config withSearchResultCap(int v) {
            return new Config(clock, seed, tokens, burstPer10s, dailyLimit, searchPerSecond, v, portalId);
        }

        public Config withPortalId(long v) {
            return new Config(clock, seed, tokens, burstPer10s, dailyLimit, searchPerSecond, searchResultCap, v);
        }
    }

    private final Config config;
    private final HubSpotPortal portal;
    private final HubSpotAuth auth;
    private final HubSpotRateLimiter limiter;
    private final HubSpotSearchHandler search;
    private final HubSpotEmailEventsHandler email;
    private final HubSpotFormsHandler forms;
    private final EmulatorServer server;

    public HubSpotEmulator(Config config) {
        this.config = config;
        HubSpotErrors errors = new HubSpotErrors(config.seed());
        this.portal = new HubSpotPortal(config.clock(), config.seed(), config.portalId());
        this.auth = new HubSpotAuth(config.tokens(), errors);
        this.limiter = new HubSpotRateLimiter(config.clock(), errors, config.burstPer10s(), config.dailyLimit(), config.searchPerSecond());
        this.search = new HubSpotSearchHandler(portal, errors, config.searchResultCap());
        this.email = new HubSpotEmailEventsHandler(portal, errors);
        this.forms = new HubSpotFormsHandler(portal, errors);
        HubSpotBatchHandler batch = new HubSpotBatchHandler(portal, errors, config.seed());
        HubSpotPropertiesHandler properties = new HubSpotPropertiesHandler(portal, errors);
        HubSpotNotesHandler notes = new HubSpotNotesHandler(portal, errors, batch);
        HubSpotListsHandler lists = new HubSpotListsHandler(portal, errors);
        HubSpotTasksHandler tasks = new HubSpotTasksHandler(portal, errors);
        String name = "[A-Za-z0-9_\\-]+";
        this.server = new EmulatorServer("hubspot", new HubSpotFaultRenderer(errors), config.clock(), config.seed())
                .filter(auth)
                .filter(limiter)
                .decorate(limiter)
                .route("hubspot.email.events", "GET", "/email/public/v1/events", email::events)
                .route("hubspot.email.event", "GET", "/email/public/v1/events/(\\d+)/([^/]+)", email::event)
                .route("hubspot.email.campaign", "GET", "/email/public/v1/campaigns/(\\d+)", email::campaign)
                .route("hubspot.forms.list", "GET", "/marketing/v3/forms/?", forms::list)
                .route("hubspot.forms.submissions", "GET", "/form-integrations/v1/submissions/forms/([^/]+)", forms::submissions)
                .route("hubspot.contacts.search", "POST", "/crm/v3/objects/contacts/search", search::search)
                .route("hubspot.contacts.batch.read", "POST", "/crm/v3/objects/contacts/batch/read", batch::read)
                .route("hubspot.contacts.batch.update", "POST", "/crm/v3/objects/contacts/batch/update", batch::update)
                .route("hubspot.properties.groups.list", "GET", "/crm/v3/properties/(?:contacts|0-1)/groups", properties::groups)
                .route("hubspot.properties.groups.create", "POST", "/crm/v3/properties/(?:contacts|0-1)/groups", properties::createGroup)
                .route("hubspot.properties.list", "GET", "/crm/v3/properties/(?:contacts|0-1)", properties::list)
                .route("hubspot.properties.read", "GET", "/crm/v3/properties/(?:contacts|0-1)/(" + name + ")", properties::read)
                .route("hubspot.properties.create", "POST", "/crm/v3/properties/(?:contacts|0-1)", properties::create)
                .route("hubspot.properties.update", "PATCH", "/crm/v3/properties/(?:contacts|0-1)/(" + name + ")", properties::update)
                .route("hubspot.notes.create", "POST", "/crm/v3/objects/notes", notes::create)
                .route("hubspot.notes.batch.create", "POST", "/crm/v3/objects/notes/batch/create", notes::batchCreate)
                .route("hubspot.notes.search", "POST", "/crm/v3/objects/notes/search", notes::search)
                .route("hubspot.tasks.create", "POST", "/crm/v3/objects/tasks", tasks::create)
                .route("hubspot.associations.labels", "GET", "/crm/v4/associations/tasks/contacts/labels", tasks::labels)
                .route("hubspot.lists.read", "GET", "/crm/v3/lists/(\\d+)", lists::list)
                .route("hubspot.lists.memberships", "GET", "/crm/v3/lists/([^/]+)/memberships", lists::memberships)
                .route("hubspot.lists.records.memberships", "GET", "/crm/v3/lists/records/([^/]+)/([^/]+)/memberships",
                        lists::recordMemberships);
    }

    public HubSpotEmulator start(int port) throws IOException {
        server.start(port);
        return this;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public Config config() {
        return config;
    }

    public CallJournal journal() {
        return server.journal();
    }

    public FaultPlan faults() {
        return server.faults();
    }

    public HubSpotPortal portal() {
        return portal;
    }

    /** Calls with this token now fail with 401 EXPIRED_AUTHENTICATION. */
    public void expireToken(String token) {
        auth.expire(token);
    }

    /** Accepts one more token (e.g. a refreshed one). */
    public void addToken(String token) {
        auth.addToken(token);
    }

    /** Records written now become searchable this much later (eventual consistency, §4). */
    public HubSpotEmulator indexingDelay(Duration delay) {
        portal.indexingDelay(delay);
        return this;
    }

    /** Search filter limits; the defaults are the current doc's 5 groups, 6 per group, 18 in total (§4). */
    public HubSpotEmulator searchFilterLimits(int groups, int filtersPerGroup, int filtersTotal) {
        search.filterLimits(groups, filtersPerGroup, filtersTotal);
        return this;
    }

    /** Whether search accepts ISO-8601 datetime filter values as well as epoch ms (UNCONFIRMED upstream; off by default). */
    public HubSpotEmulator acceptIsoDatetimeFilters(boolean accept) {
        search.acceptIsoDatetimes(accept);
        return this;
    }

    /** How long an email events offset token stays valid (default 10 minutes on the configured clock). */
    public HubSpotEmulator emailOffsetTtl(Duration ttl) {
        email.offsetTtl(ttl);
        return this;
    }

    /** The largest page the forms list accepts (undocumented upstream; default 50). */
    public HubSpotEmulator formsMaxLimit(int max) {
        forms.formsMaxLimit(max);
        return this;
    }

    /** Changes the limits while running, e.g. to reach the daily limit quickly in a test. */
    public HubSpotEmulator rateLimits(int burstPer10s, long dailyLimit, int searchPerSecond) {
        limiter.limits(burstPer10s, dailyLimit, searchPerSecond);
        return this;
    }

    /** Forgets every counted call. */
    public void resetRateLimits() {
        limiter.reset();
    }

    @Override
    public void close() {
        server.close();
    }
}
