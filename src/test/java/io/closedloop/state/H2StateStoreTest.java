package io.closedloop.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class H2StateStoreTest extends StateStoreContract {
    @TempDir
    java.nio.file.Path dir;

    private StateStore store;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @BeforeEach
    void open() {
        store = StateStore.open(url(), "sa", "", clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Override
    protected StateStore reopen() {
        return StateStore.open(url(), "sa", "", clock);
    }
}
