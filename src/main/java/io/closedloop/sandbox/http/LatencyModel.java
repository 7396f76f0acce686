package io.closedloop.sandbox.http;

import java.time.Duration;
import java.util.Random;

/** How long an endpoint takes to answer: fixed, or drawn from a seeded distribution. */
public interface LatencyModel {
    Duration next();

    LatencyModel NONE = () -> Duration.ZERO;

    static LatencyModel fixed(Duration d) {
        return () -> d;
    }

    static LatencyModel uniform(Duration min, Duration max, long seed) {
        Random random = new Random(seed);
        long span = Math.max(0, max.toMillis() - min.toMillis());
        return () -> {
            synchronized (random) {
                return min.plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * span));
            }
        };
    }

    /** Log-normal around a median, as API latencies are: mostly near the median with a long tail. */
    static LatencyModel logNormal(Duration median, double sigma, long seed) {
        Random random = new Random(seed);
        double mu = Math.log(Math.max(1, median.toMillis()));
        return () -> {
            synchronized (random) {
                return Duration.ofMillis(Math.round(Math.exp(mu + sigma * random.nextGaussian())));
            }
        };
    }
}
