package io.closedloop.flow.engagement;

import io.closedloop.salesforce.SalesforceSummaryWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the queued summary fields on a thread of its own once a poll has committed its window
 * (routes/hubspot-engagement-source): the next poll reads and writes activities while the last one's summaries go
 * out, instead of waiting for them. Kicks coalesce: one flush runs at a time, and kicks while it runs make one more
 * flush after it. The queue is durable, so a flush that fails, or that a stop cuts short, leaves its records queued
 * for the flush after the next poll.
 *
 * <p>A flush starts at most once per {@code CLOSEDLOOP_SUMMARY_INTERVAL} (by the daemon's clock): a kick sooner leaves the
 * queue as it is for the first kick after the interval, so a record active at every poll of a fast poll interval gets one
 * summary computed and written per interval instead of one per poll. The activities themselves are not held back. A kick
 * held back also sets a timer for the interval's end, so what it left queued goes out then even when no poll follows
 * (a source that stops polling, a HubSpot outage); the timer flushes only if the clock says the interval has passed.
 */
public final class SummaryFlusher implements AutoCloseable {
    public static final String BEAN = "salesforceSummaryFlusher";
    public static final String FAILED_METRIC = "closedloop_summary_flush_failed_total";
    private static final Logger LOG = LoggerFactory.getLogger(SummaryFlusher.class);

    private final SalesforceSummaryWriter summaries;
    private final Supplier<MeterRegistry> meters;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "closedloop-summary-flush");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private final java.time.Clock clock;
    private final Duration interval;
    /** When the last flush was kicked off, by {@link #clock}; null before the first. */
    private java.time.Instant lastStart;
    /** The timer a held-back kick set for the interval's end; null or done when none is set. */
    private ScheduledFuture<?> timer;

    /** @param interval least time between the starts of two flushes ({@code CLOSEDLOOP_SUMMARY_INTERVAL}) */
    public SummaryFlusher(SalesforceSummaryWriter summaries, Supplier<MeterRegistry> meters, java.time.Clock clock, Duration interval) {
        this.summaries = summaries;
        this.meters = meters;
        this.clock = clock;
        this.interval = interval;
        // a stop does not wait for a timer: what it would have flushed stays queued for the next start
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Route step: a flush of the queue soon, on the flusher's thread, unless one started within the interval; returns at once. */
    public void kick() {
        Duration wait = untilDue();
        if (!wait.isZero()) {
            later(wait);
            return;
        }
        if (pending.compareAndSet(false, true)) {
            try {
                thread.execute(this::flush);
            } catch (RejectedExecutionException stopping) {
                // the daemon is stopping: what is queued stays queued for the next start
                pending.set(false);
            }
        }
    }

    /**
     * Zero when the interval has passed since the last flush was kicked off (this kick then starts the next), else how
     * long until it has. A clock set back behind the last flush counts as the interval passed: nothing waits for the
     * clock to catch up.
     */
    private synchronized Duration untilDue() {
        java.time.Instant now = clock.instant();
        if (lastStart != null && !now.isBefore(lastStart) && now.isBefore(lastStart.plus(interval))) {
            return Duration.between(now, lastStart.plus(interval));
        }
        lastStart = now;
        return Duration.ZERO;
    }

    /** A kick on the flusher's thread once {@code wait} has passed, unless one is set already. */
    private synchronized void later(Duration wait) {
        if (timer != null && !timer.isDone()) {
            return;
        }
        try {
            timer = thread.schedule(this::kick, wait.toMillis() + 1, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the daemon is stopping: what is queued stays queued for the next start
        }
    }

    private void flush() {
        // kicks from here on make another flush after this one: it may not see what they queued
        pending.set(false);
        try {
            int written = summaries.flush();
            LOG.debug("summary fields of {} records written", written);
        } catch (RuntimeException e) {
            countFailure();
            LOG.warn("summary fields not written now, left queued for the next flush: {}", e.getMessage());
        }
    }

    private void countFailure() {
        MeterRegistry registry = meters.get();
        if (registry != null) {
            Counter.builder(FAILED_METRIC).description("Summary flushes that failed as a whole (their records stay queued)")
                    .register(registry).increment();
        }
    }

    /** Waits until every flush kicked so far has ended; false if that took longer than {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Future<?> marker;
        try {
            marker = thread.submit(() -> { });
        } catch (RejectedExecutionException closed) {
            return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes no more kicks and lets a running flush end, for up to {@code timeout}. */
    public void close(Duration timeout) throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.info("the summary flush was still running at the stop; its records stay queued for the next start");
            thread.shutdownNow();
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(15));
    }
}
