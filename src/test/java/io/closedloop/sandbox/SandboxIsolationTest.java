package io.closedloop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The emulators ship in the main artifact, but production code must never depend on them. */
class SandboxIsolationTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final String SANDBOX = "io/closedloop/sandbox";
    /** The CLI root registers the sandbox command; nothing else outside the package may refer to it. */
    private static final String CLI_ROOT = "io/closedloop/Closedloop.class";

    @Test
    void noProductionClassRefersToTheSandboxPackage() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            offenders = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> CLASSES.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.startsWith(SANDBOX + "/") && !name.equals(CLI_ROOT))
                    .filter(name -> refersToSandbox(CLASSES.resolve(name)))
                    .toList();
        }
        assertThat(offenders).as("classes outside %s that refer to it", SANDBOX).isEmpty();
    }

    @Test
    void theCheckSeesAReferenceWhenThereIsOne() {
        // guards the check itself: the CLI root does refer to the sandbox command
        assertThat(refersToSandbox(CLASSES.resolve(CLI_ROOT))).isTrue();
    }

    private static boolean refersToSandbox(Path classFile) {
        try {
            // class names in the constant pool are stored as modified UTF-8, plain ASCII for our packages
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(SANDBOX);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
