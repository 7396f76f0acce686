package io.closedloop.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.MDC;

/** API calls sent at once on a pool, each with the caller's log context (its run id), awaited in order. */
public final class ConcurrentCalls {

    private ConcurrentCalls() {
    }

    /**
     * Each call on {@code pool}, the results in the calls' order. A failure is thrown once every call has ended: the calls
     * in flight are let finish, since a write cut in the middle could not be told from one not made. An interrupt
     * while waiting is kept for the caller. {@code wrap} turns a failure that is not a RuntimeException into one.
     */
    public static <R> List<R> all(ExecutorService pool, List<Callable<R>> calls, Function<Throwable, RuntimeException> wrap) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        List<Future<R>> sent = new ArrayList<>(calls.size());
        for (Callable<R> call : calls) {
            sent.add(pool.submit(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    return call.call();
                } finally {
                    MDC.clear();
                }
            }));
        }
        List<R> out = new ArrayList<>(calls.size());
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<R> call : sent) {
            while (true) {
                try {
                    out.add(call.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : wrap.apply(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }
}
