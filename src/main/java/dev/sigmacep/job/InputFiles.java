package dev.sigmacep.job;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The same for a file name (the last part of a path, or a zip archive's entry). */
    static boolean isJsonLines(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - ".gz".length());
        return name.endsWith(".ndjson") || name.endsWith(".jsonl");
    }

    private static boolean isTelemetryFile(Path file) {
        return isTelemetryFile(file.getFileName().toString());
    }

    private static boolean isTelemetryFile(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Like {@link #expand}, for any Flink file system ({@code file://}, {@code s3://}, {@code hdfs://}, ... through
     * Flink's {@code FileSystem} and its plugins), listed where this runs (the client that submits a cluster replay):
     * files as given, directories recursively to their telemetry files (hidden ones skipped), sorted, each once. An
     * input without a scheme is a local path, made absolute.
     *
     * @throws IllegalArgumentException naming the first input that does not exist or cannot be listed
     */
    public static List<org.apache.flink.core.fs.Path> expandUris(List<String> inputs) {
        Set<org.apache.flink.core.fs.Path> files = new LinkedHashSet<>();
        for (String input : inputs) {
            org.apache.flink.core.fs.Path path = flinkPath(input);
            try {
                FileSystem fs = path.getFileSystem();
                FileStatus status;
                try {
                    status = fs.getFileStatus(path);
                } catch (FileNotFoundException missing) {
                    throw new IllegalArgumentException("input not found: " + input);
                }
                if (status.isDir()) {
                    List<org.apache.flink.core.fs.Path> found = new ArrayList<>();
                    walk(fs, path, found);
                    found.sort(Comparator.comparing(org.apache.flink.core.fs.Path::toString));
                    files.addAll(found);
                } else {
                    files.add(status.getPath());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + input + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(files);
    }

    /** A Flink path for an input: a URI with a scheme as given, else a local path made absolute. */
    static org.apache.flink.core.fs.Path flinkPath(String input) {
        if (input.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
            return new org.apache.flink.core.fs.Path(URI.create(input));
        }
        return new org.apache.flink.core.fs.Path(Path.of(input).toAbsolutePath().normalize().toUri());
    }

    private static void walk(FileSystem fs, org.apache.flink.core.fs.Path dir, List<org.apache.flink.core.fs.Path> found)
            throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return;
        }
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (child.isDir()) {
                walk(fs, child.getPath(), found);
            } else if (isTelemetryFile(name)) {
                found.add(child.getPath());
            }
        }
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
