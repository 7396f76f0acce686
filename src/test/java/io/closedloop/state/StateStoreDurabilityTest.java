package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** H2 must write each commit at once: CrashSafetyIT lost ledger rows and corrupted a payload under kill -9 without it. */
class StateStoreDurabilityTest {
    @Test
    void anH2UrlGetsWriteDelayZeroUnlessItSetsItsOwn() {
        assertThat(StateStore.durable("jdbc:h2:file:./data/closedloop;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/closedloop;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(StateStore.durable("jdbc:h2:file:x;write_delay=100")).isEqualTo("jdbc:h2:file:x;write_delay=100");
        assertThat(StateStore.durable("jdbc:postgresql://db:5432/closedloop")).isEqualTo("jdbc:postgresql://db:5432/closedloop");
    }

    @Test
    void theStoreOpensWithTheDurableSetting() throws Exception {
        try (StateStore store = StateStore.open("jdbc:h2:mem:durable;DB_CLOSE_DELAY=-1", "sa", "", java.time.Clock.systemUTC());
             var c = store.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }
}
