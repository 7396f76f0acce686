package io.closedloop.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilesTest {
    @TempDir
    Path dir;

    @Test
    void theDaemonsPatternListsEveryRouteFileOfRoutesAndNothingElse() throws Exception {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            onDisk = files.map(f -> "classpath:routes/" + f.getFileName()).filter(n -> n.endsWith(".camel.yaml")).sorted().toList();
        }

        List<String> listed = Arrays.asList(RouteFiles.listed(ClosedloopRuntime.ROUTES).split(","));

        assertThat(onDisk).hasSizeGreaterThan(10);
        assertThat(listed).containsExactlyElementsOf(onDisk);
    }

    @Test
    void inAJarOnlyTheDirectorysOwnFilesWithTheSuffixAreListed() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("routes/a.camel.yaml", "routes/b.camel.yaml", "routes/notes.txt", "routes/old/c.camel.yaml",
                    "other/d.camel.yaml")) {
                out.putNextEntry(new JarEntry(name));
                out.write("- route: {}\n".getBytes());
                out.closeEntry();
            }
        }

        List<String> names = RouteFiles.names(new URL("jar:" + jar.toUri() + "!/routes"), "routes", ".camel.yaml");

        assertThat(names).containsExactlyInAnyOrder("a.camel.yaml", "b.camel.yaml");
    }

    @Test
    void partsThatAreNotAPlainDirectoryWildcardPassUnchanged() {
        assertThat(RouteFiles.listed("classpath:routes/hubspot-email-events-source.camel.yaml, file:/tmp/x/*.yaml,classpath:nowhere/*.yaml"))
                .isEqualTo("classpath:routes/hubspot-email-events-source.camel.yaml,file:/tmp/x/*.yaml,classpath:nowhere/*.yaml");
    }
}
