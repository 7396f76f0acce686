package io.closedloop.hubspot;

import io.closedloop.config.DailyBudget;
import io.closedloop.core.ApiBudget;
import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.Classification;
import io.closedloop.core.PausedSyncException;
import io.closedloop.core.RetriableSyncException;
import io.closedloop.core.RollingWindow;
import io.closedloop.core.SharedBudgetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Function;

/**
 * The client-side governor of HubSpot's limits (hubspot-api.md §11): the rolling 10-second burst, the search rate,
 * and the daily budget. Before each call it waits for a free slot (and for any Retry-After or spent window the API
 * reported); a wait too long to block on, or a spent daily budget, pauses HubSpot instead: calls fail at once with
 * {@link PausedSyncException} and no request until the pause ends. The day's calls and the pause live in
 * {@link SharedBudgetState} (the state store), so with replicas the budget holds for all of them together.
 */
public final class HubSpotBudget implements ApiBudget {
    public static final Duration BURST_WINDOW = Duration.ofSeconds(10);
    /** Search allows 4-5 requests per second (§4); the lower figure leaves no room for a 429. */
    public static final int SEARCH_PER_SECOND = 4;
    /** HubSpot's Free/Starter daily allowance, the base of a percentage budget until HubSpot reports its own. */
    public static final long STARTER_DAILY = 250_000;
    /** Longer waits pause the API rather than hold a poll thread. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(30);
    /** After a daily pause, a DAILY 429 again means the account's day has not rolled yet: probe hourly. */
    static final Duration DAILY_RECHECK = Duration.ofHours(1);

    /** Blocks the calling thread; tests substitute one that moves their clock. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Clock clock;
    private final int burstPer10s;
    private final DailyBudget dailyBudget;
    private final Sleeper sleeper;
    private final SharedBudgetState shared;
    private final RollingWindow burst = new RollingWindow(BURST_WINDOW);
    private final RollingWindow search = new RollingWindow(Duration.ofSeconds(1));
    private Instant notBefore = Instant.EPOCH;
    private Pause pause;
    private boolean pauseIsDaily;
    private Instant dailyResumedAt;
    private LocalDate day;
    private long callsToday;
    private long reportedAllowance = -1;
    private long reportedUsed = -1;
    private long callsSinceReport;
    private volatile ApiCircuitBreaker circuit;

    public HubSpotBudget(Clock clock, int burstPer10s, DailyBudget dailyBudget, Sleeper sleeper) {
        this(clock, burstPer10s, dailyBudget, sleeper, SharedBudgetState.inMemory());
    }

    public HubSpotBudget(Clock clock, int burstPer10s, DailyBudget dailyBudget, SharedBudgetState shared) {
        this(clock, burstPer10s, dailyBudget, d -> Thread.sleep(d.toMillis()), shared);
    }

    public HubSpotBudget(Clock clock, int burstPer10s, DailyBudget dailyBudget, Sleeper sleeper, SharedBudgetState shared) {
        this.shared = shared;
        this.clock = clock;
        this.burstPer10s = burstPer10s;
        this.dailyBudget = dailyBudget;
        this.sleeper = sleeper;
    }

    public HubSpotBudget(Clock clock, int burstPer10s, DailyBudget dailyBudget) {
        this(clock, burstPer10s, dailyBudget, d -> Thread.sleep(d.toMillis()));
    }

    /** Before every call: returns once it may be made, or throws {@link PausedSyncException} without it. */
    public void acquire(boolean isSearch) {
        while (true) {
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                rollDay(now);
                if (pause == null) {
                    adoptSharedPause(now);
                }
                if (pause != null) {
                    if (now.isBefore(pause.until())) {
                        throw paused();
                    }
                    dailyResumedAt = pauseIsDaily ? now : null;
                    pause = null;
                }
                if (limit() >= 0 && used() >= limit()) {
                    pauseForDay(now, "HUBSPOT_DAILY_BUDGET", "HubSpot daily budget spent: " + used() + " of " + limit()
                            + " calls used today (HUBSPOT_DAILY_BUDGET=" + dailyBudget + ")");
                    throw paused();
                }
                wait = longest(Duration.between(now, notBefore),
                        isSearch ? search.waitFor(now, SEARCH_PER_SECOND) : burst.waitFor(now, burstPer10s));
                if (wait.isZero() || wait.isNegative()) {
                    (isSearch ? search : burst).add(now);
                    callsToday = shared.countCall(api(), day);
                    callsSinceReport++;
                    return;
                }
                if (wait.compareTo(MAX_BLOCK) > 0) {
                    pause = new Pause("RATE_LIMIT", "HubSpot asked Closedloop to wait " + wait.toSeconds() + " s", now.plus(wait));
                    pauseIsDaily = false;
                    shared.pause(api(), pause);
                    throw paused();
                }
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableSyncException("INTERRUPTED", "interrupted while waiting for the HubSpot rate limit", e);
            }
        }
    }

    /** After every response: the X-HubSpot-RateLimit-* headers (§11.2), which are optional. */
    public synchronized void observe(Function<String, String> headers) {
        Instant now = clock.instant();
        rollDay(now);
        long daily = number(headers.apply("X-HubSpot-RateLimit-Daily"));
        long dailyRemaining = number(headers.apply("X-HubSpot-RateLimit-Daily-Remaining"));
        if (daily > 0 && dailyRemaining >= 0) {
            reportedAllowance = daily;
            reportedUsed = daily - dailyRemaining;
            callsSinceReport = 0;
            if (dailyRemaining == 0) {
                pauseForDay(now, "DAILY", "HubSpot reports the account's daily allowance of " + daily + " calls spent");
            }
        }
        long remaining = number(headers.apply("X-HubSpot-RateLimit-Remaining"));
        if (remaining == 0) {
            long interval = number(headers.apply("X-HubSpot-RateLimit-Interval-Milliseconds"));
            // our own oldest call frees a slot first; if others spent the window, wait it out whole
            Instant free = burst.oldestExpiry(now);
            Instant until = free != null ? free : now.plusMillis(interval > 0 ? interval : BURST_WINDOW.toMillis());
            notBefore = later(notBefore, until);
        }
    }

    /** After a failed call: a 429 or a Retry-After the server sent is honoured before the next call. */
    public synchronized void failed(int status, Classification c, boolean retryAfterSent) {
        Instant now = clock.instant();
        if (status == 429 && "DAILY".equals(c.code())) {
            // the daily limit is not retried within the day (README, Budgets and backoff)
            pauseForDay(now, "DAILY", c.message());
        } else if (status == 429 || retryAfterSent) {
            notBefore = later(notBefore, now.plus(c.retryAfter()));
        }
    }

    /** The breaker of the same API, whose state health and metrics show next to the budget. */
    public void attach(ApiCircuitBreaker breaker) {
        this.circuit = breaker;
    }

    @Override
    public String api() {
        return "hubspot";
    }

    @Override
    public synchronized long remaining() {
        return Math.max(0, limit() - used());
    }

    @Override
    public synchronized long limit() {
        return dailyBudget.of(reportedAllowance > 0 ? reportedAllowance : STARTER_DAILY);
    }

    @Override
    public synchronized Optional<Pause> pause() {
        return pause == null || !clock.instant().isBefore(pause.until()) ? Optional.empty() : Optional.of(pause);
    }

    @Override
    public String circuitState() {
        return circuit == null ? "CLOSED" : circuit.state();
    }

    /** Calls made in the current rolling 10-second window, for tests. */
    synchronized int callsInBurstWindow() {
        return burst.count(clock.instant());
    }

    /** The account's usage today as HubSpot last reported it plus our calls since; our own count without headers. */
    private long used() {
        return reportedUsed >= 0 ? reportedUsed + callsSinceReport : callsToday;
    }

    private void pauseForDay(Instant now, String code, String reason) {
        Instant midnight = day(now).plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        // a probe after our midnight that meets the limit again: the account's zone is behind ours
        Instant until = dailyResumedAt != null && now.isBefore(dailyResumedAt.plus(DAILY_RECHECK)) ? now.plus(DAILY_RECHECK) : midnight;
        pause = new Pause(code, reason, until);
        pauseIsDaily = true;
        shared.pause(api(), pause);
    }

    /** Another replica paused HubSpot (its daily budget, a long wait): this one waits too. */
    private void adoptSharedPause(Instant now) {
        shared.pause(api()).filter(p -> now.isBefore(p.until())).ifPresent(p -> {
            pause = p;
            pauseIsDaily = "DAILY".equals(p.code()) || "HUBSPOT_DAILY_BUDGET".equals(p.code());
        });
    }

    private PausedSyncException paused() {
        return new PausedSyncException(api(), pause.code(), pause.reason() + "; HubSpot calls paused until " + pause.until(), pause.until());
    }

    private void rollDay(Instant now) {
        LocalDate today = day(now);
        if (!today.equals(day)) {
            day = today;
            callsToday = 0;
            reportedUsed = -1;
            callsSinceReport = 0;
        }
    }

    private LocalDate day(Instant now) {
        return LocalDate.ofInstant(now, clock.getZone());
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static long number(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
