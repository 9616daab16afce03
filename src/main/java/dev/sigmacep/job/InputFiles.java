package dev.sigmacep.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Expands replay inputs: files as given, directories recursively to their telemetry files, sorted. */
public final class InputFiles {
    private static final List<String> EXTENSIONS = List.of(".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz",
            ".jsonl.gz", ".zip");

    private InputFiles() {
    }

    /** JSON Lines, plain or gzip: a line is a record (and a plain file can be read in parallel ranges). */
    static boolean isJsonLines(Path file) {
        return isJsonLines(file.getFileName().toString());
    }

    /** The same for a file name, e.g. of a zip archive's entry. */
    static boolean isJsonLines(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - ".gz".length());
        return name.endsWith(".ndjson") || name.endsWith(".jsonl");
    }

    private static boolean isTelemetryFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Each file once, even when inputs overlap; hidden files and directories are skipped inside directories.
     *
     * @throws IllegalArgumentException naming the first input that does not exist or cannot be listed
     */
    public static List<Path> expand(List<Path> inputs) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(file -> isTelemetryFile(file) && !hidden(input, file))
                            .sorted().forEach(file -> files.add(file.toAbsolutePath().normalize()));
                } catch (IOException | UncheckedIOException e) {
                    throw new IllegalArgumentException("cannot list " + input + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input.toAbsolutePath().normalize());
            } else {
                throw new IllegalArgumentException("input not found: " + input);
            }
        }
        return new ArrayList<>(files);
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
