package dev.sigmacep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Expands replay inputs: files as given, directories recursively to their telemetry files, sorted. */
public final class InputFiles {
    private static final List<String> EXTENSIONS = List.of(".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz",
            ".jsonl.gz", ".zip");

    private InputFiles() {
    }

    public static boolean isTelemetryFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** @throws IllegalArgumentException naming the first input that does not exist */
    public static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(InputFiles::isTelemetryFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + input, e);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new IllegalArgumentException("input not found: " + input);
            }
        }
        return files;
    }
}
