package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorFilter;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.EmulatorServer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits of §11: a rolling 10-second burst per token, a daily allowance per account that resets at
 * midnight in the clock's zone, and a separate per-second search limit that is exempt from the burst (§4).
 * Calls rejected with 429 do not count.
 */
final class HubSpotRateLimiter implements EmulatorFilter, EmulatorServer.Decorator {
    static final long INTERVAL_MS = 10_000;
    static final String SEARCH_ENDPOINT = "hubspot.contacts.search";

    private final Clock clock;
    private final HubSpotErrors errors;
    private volatile int burstPer10s;
    private volatile long dailyLimit;
    private volatile int searchPerSecond;
    private final Map<String, ArrayDeque<Long>> burst = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Long>> search = new ConcurrentHashMap<>();
    private final Object dailyLock = new Object();
    private LocalDate day;
    private long usedToday;

    HubSpotRateLimiter(Clock clock, HubSpotErrors errors, int burstPer10s, long dailyLimit, int searchPerSecond) {
        this.clock = clock;
        this.errors = errors;
        this.burstPer10s = burstPer10s;
        this.dailyLimit = dailyLimit;
        this.searchPerSecond = searchPerSecond;
    }

    void limits(int burstPer10s, long dailyLimit, int searchPerSecond) {
        this.burstPer10s = burstPer10s;
        this.dailyLimit = dailyLimit;
        this.searchPerSecond = searchPerSecond;
    }

    /** Forgets every counted call (a new day and an idle app). */
    void reset() {
        burst.clear();
        search.clear();
        synchronized (dailyLock) {
            usedToday = 0;
        }
    }

    @Override
    public EmulatorResponse before(String endpoint, EmulatorRequest request) {
        String token = request.bearerToken();
        long now = clock.millis();
        synchronized (dailyLock) {
            rollDay();
            if (usedToday >= dailyLimit) {
                return withHeaders(EmulatorResponse.json(429, errors.rateLimit("DAILY")), token, now);
            }
            // every CRM search shares the search rate (§4)
            boolean isSearch = SEARCH_ENDPOINT.equals(endpoint) || "hubspot.notes.search".equals(endpoint);
            ArrayDeque<Long> window = (isSearch ? search : burst).computeIfAbsent(token, k -> new ArrayDeque<>());
            synchronized (window) {
                long span = isSearch ? 1_000 : INTERVAL_MS;
                prune(window, now, span);
                if (window.size() >= (isSearch ? searchPerSecond : burstPer10s)) {
                    EmulatorResponse limited = isSearch ? EmulatorResponse.json(429, errors.secondlyLimit())
                            : EmulatorResponse.json(429, errors.rateLimit("TEN_SECONDLY_ROLLING"));
                    return withHeaders(limited, token, now);
                }
                window.addLast(now);
            }
            usedToday++;
        }
        return null;
    }

    @Override
    public EmulatorResponse after(String endpoint, EmulatorRequest request, EmulatorResponse response) {
        return withHeaders(response, request.bearerToken(), clock.millis());
    }

    private EmulatorResponse withHeaders(EmulatorResponse response, String token, long now) {
        long remainingToday;
        synchronized (dailyLock) {
            rollDay();
            remainingToday = Math.max(0, dailyLimit - usedToday);
        }
        int inWindow = 0;
        ArrayDeque<Long> window = token == null ? null : burst.get(token);
        if (window != null) {
            synchronized (window) {
                prune(window, now, INTERVAL_MS);
                inWindow = window.size();
            }
        }
        return response.withHeader("X-HubSpot-RateLimit-Daily", Long.toString(dailyLimit))
                .withHeader("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(remainingToday))
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(INTERVAL_MS))
                .withHeader("X-HubSpot-RateLimit-Max", Integer.toString(burstPer10s))
                .withHeader("X-HubSpot-RateLimit-Remaining", Integer.toString(Math.max(0, burstPer10s - inWindow)));
    }

    private static void prune(ArrayDeque<Long> window, long now, long span) {
        while (!window.isEmpty() && window.peekFirst() <= now - span) {
            window.pollFirst();
        }
    }

    private void rollDay() {
        LocalDate today = LocalDate.now(clock);
        if (!today.equals(day)) {
            day = today;
            usedToday = 0;
        }
    }
}
