package io.closedloop.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files a pattern such as {@code classpath:routes/*.camel.yaml} names, listed once from the jar's central
 * directory (or the classes directory): Camel Main resolves a wildcard by reading the whole jar entry by entry, twice
 * at every start, and our jar holds every dependency. Each part of a comma-separated pattern is listed on its own;
 * a part that is not {@code classpath:DIR/*SUFFIX}, or whose directory is not found, is passed on unchanged.
 */
final class RouteFiles {
    private RouteFiles() {
    }

    static String listed(String pattern) {
        return Arrays.stream(pattern.split(",")).map(String::trim).filter(p -> !p.isEmpty()).map(RouteFiles::listedPart)
                .collect(Collectors.joining(","));
    }

    private static String listedPart(String part) {
        if (!part.startsWith("classpath:")) {
            return part;
        }
        String path = part.substring("classpath:".length());
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || !path.startsWith("*", slash + 1) || path.indexOf('*', slash + 2) >= 0 || path.substring(0, slash).contains("*")) {
            return part;
        }
        String dir = path.substring(0, slash);
        String suffix = path.substring(slash + 2);
        URL url = RouteFiles.class.getClassLoader().getResource(dir);
        if (url == null) {
            return part;
        }
        List<String> names = names(url, dir, suffix);
        return names.isEmpty() ? part : names.stream().sorted().map(n -> "classpath:" + dir + "/" + n).collect(Collectors.joining(","));
    }

    static List<String> names(URL url, String dir, String suffix) {
        try {
            if ("jar".equals(url.getProtocol())) {
                // jar:file:/…/closedloop.jar!/routes: the jar's own central directory, opened apart from the class loader's
                String spec = url.getPath();
                int bang = spec.indexOf("!/");
                try (JarFile jar = new JarFile(Path.of(new java.net.URI(bang < 0 ? spec : spec.substring(0, bang))).toFile())) {
                    List<String> names = new ArrayList<>();
                    String prefix = dir + "/";
                    jar.stream().map(java.util.zip.ZipEntry::getName)
                            .filter(n -> n.startsWith(prefix) && n.endsWith(suffix) && n.indexOf('/', prefix.length()) < 0)
                            .forEach(n -> names.add(n.substring(prefix.length())));
                    return names;
                }
            }
            if ("file".equals(url.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
                }
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the route files under " + dir, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the route files under " + dir, e);
        }
    }
}
