package io.closedloop.core;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of named daemon threads whose idle ones end after a while, so a reader or client that is dropped
 * (a stopped daemon, a test's runtime) leaves no thread behind.
 */
public final class IdlePool {

    private IdlePool() {
    }

    /** {@code threads} threads named {@code name-1}, {@code name-2}, …, each ending after {@code keepAliveSeconds} idle. */
    public static ThreadPoolExecutor of(String name, int threads, long keepAliveSeconds) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, keepAliveSeconds, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
