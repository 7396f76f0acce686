package io.closedloop.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The files of an embedded H2 store hold emails: no trace file with raw SQL beside them, and only the owner may read
 * them. Other URLs (PostgreSQL, H2 in memory or over TCP) are left alone.
 */
final class H2Files {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private H2Files() {
    }

    /** H2 traces failing statements, SQL and values, to {@code <name>.trace.db} by default (level 1, ERROR): off unless the URL says otherwise. */
    static String untraced(String url) {
        if (!url.startsWith("jdbc:h2:") || setting(url, "TRACE_LEVEL_FILE") != null) {
            return url;
        }
        return url + ";TRACE_LEVEL_FILE=0";
    }

    /**
     * Whether an H2 URL sets {@code WRITE_DELAY=0}. That stops H2's background writer, and with it the only place H2
     * compacts its file, which then grows with every write ({@code StateStore.warnOfNoCompaction}).
     */
    static boolean stopsCompaction(String url) {
        return url.startsWith("jdbc:h2:") && "0".equals(setting(url, "WRITE_DELAY"));
    }

    /** The value an H2 URL gives a setting ({@code ;NAME=value}, the name in any case), or null when it gives none. */
    static String setting(String url, String name) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parts[i].substring(eq + 1).trim();
            }
        }
        return null;
    }

    /** Creates the database's directory, owner-only, when it does not exist yet; an existing directory is the operator's. */
    static void prepare(String url) {
        Path base = basePath(url);
        Path dir = base == null ? null : base.toAbsolutePath().getParent();
        if (!POSIX || dir == null || Files.exists(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state store directory " + dir, e);
        }
    }

    /** Makes the database's own files ({@code <name>.mv.db} and its siblings) owner-only. */
    static void restrict(String url) {
        Path base = basePath(url);
        Path dir = base == null ? null : base.toAbsolutePath().getParent();
        if (!POSIX || dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = base.getFileName() + ".";
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix) && Files.isRegularFile(f)).toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the state store files in " + dir, e);
        }
    }

    /** The file path of an embedded H2 URL ({@code jdbc:h2:file:./data/x}, {@code jdbc:h2:./data/x}, {@code jdbc:h2:~/x}), else null. */
    static Path basePath(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        String name = options < 0 ? rest : rest.substring(0, options);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("(?i)(mem|tcp|ssl|zip|nio\\w*|split|async|memFS|memLZF|retry|rec):.*")) {
            return null;
        }
        if (name.isBlank()) {
            return null;
        }
        return name.startsWith("~") ? Path.of(System.getProperty("user.home") + name.substring(1)) : Path.of(name);
    }
}
