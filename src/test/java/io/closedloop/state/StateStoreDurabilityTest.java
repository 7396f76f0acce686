package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 must have each write on file when the write returns (CrashSafetyIT lost ledger rows and corrupted a payload
 * under kill -9 when it did not), and must keep compacting its file (with {@code WRITE_DELAY=0} it never does, and
 * the file grew by every page each commit rewrote).
 */
class StateStoreDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void onlyAnH2UrlWithWriteDelayZeroIsNamedAsStoppingCompaction() {
        assertThat(H2Files.stopsCompaction("jdbc:h2:file:./data/closedloop;DB_CLOSE_ON_EXIT=FALSE")).isFalse();
        assertThat(H2Files.stopsCompaction("jdbc:h2:file:x;write_delay=0;DB_CLOSE_ON_EXIT=FALSE")).isTrue();
        assertThat(H2Files.stopsCompaction("jdbc:h2:file:x;WRITE_DELAY = 0")).isTrue();
        assertThat(H2Files.stopsCompaction("jdbc:h2:file:x;WRITE_DELAY=100")).isFalse();
        assertThat(H2Files.stopsCompaction("jdbc:postgresql://db:5432/closedloop?WRITE_DELAY=0")).isFalse();
    }

    @Test
    void everyWriteIsOnFileWhenItReturnsWhileH2KeepsItsBackgroundWriter() throws Exception {
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("durable") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "",
                Clock.systemUTC())) {
            assertThat(setting(store, "WRITE_DELAY")).isEqualTo("500");
            for (int i = 0; i < 5; i++) {
                long before = Long.parseLong(setting(store, "info.FILE_WRITE"));
                // one statement on its own, then a transaction
                store.ledger().record("event-" + i, "hubspot-email-events", "Lead", "00Q" + i);
                long afterOne = Long.parseLong(setting(store, "info.FILE_WRITE"));
                int n = i;
                store.inTransaction(() -> store.ledger().record("event-tx-" + n, "hubspot-email-events", "Lead", "00Q" + n));
                long afterTransaction = Long.parseLong(setting(store, "info.FILE_WRITE"));
                // H2's own writer stores commits only 500 ms later: these writes reached the file before returning
                assertThat(afterOne).as("write %d", i).isGreaterThan(before);
                assertThat(afterTransaction).as("transaction %d", i).isGreaterThan(afterOne);
            }
        }
    }

    @Test
    void theFileIsCompactedWhileTheStoreWritesUnlikeWithWriteDelayZero() throws Exception {
        long compacting = fileAfterWrites("compacting", "");
        long never = fileAfterWrites("never", ";WRITE_DELAY=0");
        assertThat(compacting * 3).as("%d bytes against %d with WRITE_DELAY=0", compacting, never).isLessThan(never);
    }

    /** Ledger rows with random keys, a chunk a transaction, for long enough that H2 can give old chunks back. */
    private long fileAfterWrites(String name, String settings) throws Exception {
        Random random = new Random(7);
        // chunks older than RETENTION_TIME may be rewritten: a second here instead of 45, so the test need not wait
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve(name) + ";DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=1000"
                + settings, "sa", "", Clock.systemUTC())) {
            Instant now = Instant.now();
            for (int chunk = 0; chunk < 120; chunk++) {
                List<EventLedger.Activity> activities = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    activities.add(new EventLedger.Activity(UUID.randomUUID().toString(), "hubspot-email-events", "a" + chunk + "-" + i,
                            "00Q" + random.nextInt(20_000), "001" + random.nextInt(5_000), "Email Open", "Newsletter " + random.nextInt(50),
                            now.minusSeconds(random.nextInt(86_400))));
                }
                store.inTransaction(() -> store.ledger().recordActivities("Marketing_Activity__c", activities));
                Thread.sleep(50);
            }
            return Files.size(dir.resolve(name + ".mv.db"));
        }
    }

    private static String setting(StateStore store, String name) throws Exception {
        try (Connection c = store.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(name).isTrue();
                return rs.getString(1);
            }
        }
    }
}
