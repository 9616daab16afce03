package dev.sigmacep.testing;

import dev.sigmacep.generate.TelemetryGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated telemetry as a replay reads it: a JSON Lines file, as {@code bin/sigma-cep generate} writes one. */
public final class GeneratedFiles {
    private GeneratedFiles() {
    }

    /** Writes every record of the generator to {@code file}, one per line; returns the file. */
    public static Path jsonLines(TelemetryGenerator generator, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            generator.forEach(record -> {
                try {
                    out.write(record.json());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return file;
    }
}
