package dev.sigmacep.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared data folder (system property {@code sigmacep.shared}); tests that need it skip when it is absent. */
public final class SharedData {
    private SharedData() {
    }

    public static Path path(String relative) {
        String shared = System.getProperty("sigmacep.shared", "../shared");
        Path path = Path.of(shared).resolve(relative);
        Assumptions.assumeTrue(Files.exists(path), "../shared not found: " + path.toAbsolutePath());
        return path;
    }
}
