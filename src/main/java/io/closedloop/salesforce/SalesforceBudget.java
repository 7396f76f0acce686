package io.closedloop.salesforce;

import io.closedloop.core.ApiBudget;
import io.closedloop.core.ApiCircuitBreaker;
import io.closedloop.core.PausedSyncException;
import io.closedloop.core.SharedBudgetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closedloop's share of the org's daily API allocation (salesforce-api.md §6.2), read from the
 * {@code Sforce-Limit-Info: api-usage=used/max} header of every response. Once the org has used the share, or
 * Salesforce answers REQUEST_LIMIT_EXCEEDED, calls stop: they fail at once with {@link PausedSyncException} and no
 * request. Every {@link #RECHECK} one call goes through as a probe; its header resumes the flows once the
 * rolling 24-hour usage has fallen below the share. The usage is the org's, so it counts every replica's calls; the
 * pause lives in {@link SharedBudgetState} (the state store), so every replica honours it.
 */
public final class SalesforceBudget implements ApiBudget {
    /** How often a paused Salesforce is probed: at most one call per interval, nothing in between. */
    public static final Duration RECHECK = Duration.ofMinutes(15);

    private static final Pattern API_USAGE = Pattern.compile("(?<![\\w-])api-usage=(\\d+)/(\\d+)");

    private final Clock clock;
    private final int sharePercent;
    private long used = -1;
    private long max = -1;
    private Pause pause;
    private volatile ApiCircuitBreaker circuit;
    private final SharedBudgetState shared;

    public SalesforceBudget(Clock clock, int sharePercent) {
        this(clock, sharePercent, SharedBudgetState.inMemory());
    }

    public SalesforceBudget(Clock clock, int sharePercent, SharedBudgetState shared) {
        this.shared = shared;
        this.clock = clock;
        this.sharePercent = sharePercent;
    }

    /** Before every call: returns if it may be made (possibly as the pause's probe), else throws without it. */
    public synchronized void acquire() {
        Instant now = clock.instant();
        if (pause == null) {
            // another replica saw the share spent or the limit exceeded
            pause = shared.pause(api()).filter(p -> now.isBefore(p.until())).orElse(null);
        }
        if (pause == null) {
            return;
        }
        if (now.isBefore(pause.until())) {
            throw new PausedSyncException(api(), pause.code(), pause.reason() + "; Salesforce calls paused until " + pause.until(),
                    pause.until());
        }
        // this call is the probe; everything else waits one more interval unless its answer resumes the flows
        pause = new Pause(pause.code(), pause.reason(), now.plus(RECHECK));
        shared.pause(api(), pause);
    }

    /** After every response that carried {@code Sforce-Limit-Info}. */
    public synchronized void observe(String limitInfo) {
        Matcher m = limitInfo == null ? null : API_USAGE.matcher(limitInfo);
        if (m == null || !m.find()) {
            return;
        }
        used = Long.parseLong(m.group(1));
        max = Long.parseLong(m.group(2));
        if (max > 0 && used >= limit()) {
            if (pause == null || !"SALESFORCE_DAILY_SHARE".equals(pause.code())) {
                pause = new Pause("SALESFORCE_DAILY_SHARE", "Salesforce daily API share spent: the org has used " + used + " of " + max
                        + " calls, Closedloop's share is " + sharePercent + "% (" + limit() + ")", clock.instant().plus(RECHECK));
                shared.pause(api(), pause);
            }
        } else if (pause != null) {
            pause = null;
            shared.pause(api(), null);
        }
    }

    /** Salesforce refused a call with REQUEST_LIMIT_EXCEEDED: the whole org is over its allocation. */
    public synchronized PausedSyncException limitExceeded(String message) {
        pause = new Pause("REQUEST_LIMIT_EXCEEDED", message, clock.instant().plus(RECHECK));
        shared.pause(api(), pause);
        return new PausedSyncException(api(), pause.code(), message + "; Salesforce calls paused until " + pause.until(), pause.until());
    }

    /** The breaker of the same API, whose state health and metrics show next to the budget. */
    public void attach(ApiCircuitBreaker breaker) {
        this.circuit = breaker;
    }

    @Override
    public String api() {
        return "salesforce";
    }

    @Override
    public synchronized long remaining() {
        return max < 0 ? -1 : Math.max(0, limit() - used);
    }

    @Override
    public synchronized long limit() {
        return max < 0 ? -1 : max * sharePercent / 100;
    }

    @Override
    public synchronized Optional<Pause> pause() {
        return pause == null || !clock.instant().isBefore(pause.until()) ? Optional.empty() : Optional.of(pause);
    }

    @Override
    public String circuitState() {
        return circuit == null ? "CLOSED" : circuit.state();
    }
}
