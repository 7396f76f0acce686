package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 file holds emails: no raw-SQL trace file beside it, and nobody but the owner may read it. */
class H2FilesTest {
    @TempDir
    Path dir;

    @Test
    void aFailingStatementLeavesNoTraceFileWithItsSql() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (StateStore store = StateStore.open(url, "sa", "", Clock.systemUTC());
             var c = store.dataSource().getConnection()) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM no_such_table WHERE email = 'ada@example.com'"))
                    .isInstanceOf(java.sql.SQLException.class);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("state.mv.db").noneMatch(n -> n.endsWith(".trace.db"));
        }
    }

    @Test
    void aUrlThatSetsItsOwnTraceLevelKeepsIt() {
        assertThat(H2Files.untraced("jdbc:h2:file:x;TRACE_LEVEL_FILE=2")).isEqualTo("jdbc:h2:file:x;TRACE_LEVEL_FILE=2");
        assertThat(H2Files.untraced("jdbc:h2:file:x")).isEqualTo("jdbc:h2:file:x;TRACE_LEVEL_FILE=0");
        assertThat(H2Files.untraced("jdbc:postgresql://db/closedloop")).isEqualTo("jdbc:postgresql://db/closedloop");
        // only a setting counts, in any case, not the same words in the database's path
        assertThat(H2Files.untraced("jdbc:h2:file:x;trace_level_file = 3")).isEqualTo("jdbc:h2:file:x;trace_level_file = 3");
        assertThat(H2Files.untraced("jdbc:h2:file:/data/trace_level_file/x")).isEqualTo("jdbc:h2:file:/data/trace_level_file/x;TRACE_LEVEL_FILE=0");
    }

    @Test
    void aSettingIsReadFromTheUrlsSettingsOnly() {
        assertThat(H2Files.setting("jdbc:h2:file:x;CACHE_SIZE=65536;write_delay = 0", "WRITE_DELAY")).isEqualTo("0");
        assertThat(H2Files.setting("jdbc:h2:file:x;CACHE_SIZE=65536", "WRITE_DELAY")).isNull();
        assertThat(H2Files.setting("jdbc:h2:file:/WRITE_DELAY=0/x", "WRITE_DELAY")).isNull();
    }

    @Test
    void theDataDirectoryItCreatesAndTheDatabaseFileAreOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path data = dir.resolve("data");
        String url = "jdbc:h2:file:" + data.resolve("closedloop") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (StateStore store = StateStore.open(url, "sa", "", Clock.systemUTC())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("closedloop.mv.db")))).isEqualTo("rw-------");
        }
    }

    @Test
    void aDatabaseFileInAnExistingDirectoryIsOwnerOnlyAndTheDirectoryIsLeftAlone() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (StateStore store = StateStore.open("jdbc:h2:" + dir.resolve("state"), "sa", "", Clock.systemUTC())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state.mv.db")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
        }
    }
}
