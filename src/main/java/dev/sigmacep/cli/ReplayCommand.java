package dev.sigmacep.cli;

import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.EmbeddedCluster;
import dev.sigmacep.job.Replay;
import dev.sigmacep.job.ReplayProgress;
import dev.sigmacep.job.ReplayOptions;
import dev.sigmacep.job.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays telemetry files (or a bounded Kafka read) through the job on an embedded Flink (BATCH"
                + " mode).",
                "Alerts go to --output as NDJSON (stdout if absent); progress and a summary table go to stderr.",
                "The cluster jar takes the same options: flink run <cluster jar> replay ... (see docs/operations.md)."})
final class ReplayCommand implements Callable<Integer> {
    /** The options of both replays, this one and the cluster jar's (ClusterReplayCommand). */
    @Mixin
    ReplayOptions options;

    @Option(names = "--quiet", description = "no progress display")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        options.check();
        if (options.alertsTopic() != null || options.deadLetterTopic() != null) {
            throw new IllegalArgumentException("--alerts-topic and --dead-letter-topic are for the replay on a"
                    + " cluster (flink run <cluster jar> replay ...); here give --output and --dead-letter FILE");
        }
        JobSettings settings = options.settings();
        List<String> topics = options.inputTopics();
        List<Path> files = List.of();
        String input;
        if (topics.isEmpty()) {
            List<Path> inputPaths = !options.inputs().isEmpty()
                    ? options.inputs().stream().map(text -> localPath(text, "--input")).toList()
                    : settings.input().paths();
            if (inputPaths.isEmpty()) {
                throw new IllegalArgumentException("no input: give --input PATH... (or input.paths in --config)");
            }
            files = InputFiles.expand(inputPaths);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no telemetry files (.json .ndjson .jsonl .gz .zip) in " + inputPaths);
            }
            input = String.format("%,d %s", files.size(), files.size() == 1 ? "file" : "files");
        } else {
            input = "Kafka " + topics;
        }
        try (EmbeddedCluster cluster = Replay.startCluster(settings)) { // comes up while the rules load
            return replay(settings, topics, files, input, cluster);
        }
    }

    private Integer replay(JobSettings settings, List<String> topics, List<Path> files, String input,
                           EmbeddedCluster cluster) throws Exception {
        RuleSet rules = options.rules(settings);
        PrintStream err = System.err;
        DetectionModel model = rules.model();
        err.printf("sigma-cep replay: %s, %d detection rules, %d correlations (%d runnable), %d rules rejected%n",
                input, model.pack().rules().size(), model.correlations().size(), model.plans().size(),
                model.errors().size());
        model.errors().stream().limit(10).forEach(e -> err.printf("  rejected %s (%s): %s%n", e.path(), e.id(), e.reason()));
        if (model.errors().size() > 10) {
            err.printf("  ... and %d more (see: sigma-cep rules validate)%n", model.errors().size() - 10);
        }

        Path deadLetterPath = options.deadLetter() != null ? localPath(options.deadLetter(), "--dead-letter")
                : settings.output().deadLetter();
        Path outputPath = options.output() != null ? localPath(options.output(), "--output") : settings.output().alerts();
        Progress progress = quiet ? null : Progress.start(err);
        Replay.Result result;
        try (OutputStream alerts = open(outputPath); OutputStream deadLetters = deadLetterPath == null ? null : open(deadLetterPath)) {
            Replay replay = new Replay(settings, rules, options.mode(), cluster);
            Consumer<byte[]> deadLetterLines = deadLetters == null ? line -> { } : lines(deadLetters);
            result = topics.isEmpty() ? replay.run(files, lines(alerts), deadLetterLines)
                    : replay.runKafka(topics, options.from(), options.to(), lines(alerts), deadLetterLines);
        } finally {
            if (progress != null) {
                progress.stop();
            }
        }
        ReplaySummary.print(err, input, result, deadLetterPath != null);
        return 0;
    }

    /** A local path, or a {@code file:} URI; other file systems are for the replay on a cluster. */
    private static Path localPath(String text, String option) {
        if (text.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
            if (text.regionMatches(true, 0, "file:", 0, 5)) {
                return Path.of(URI.create(text));
            }
            throw new IllegalArgumentException(option + " " + text + ": bin/sigma-cep replay reads and writes local"
                    + " files; other file systems are read by the replay on a cluster (flink run <cluster jar> replay ...)");
        }
        return Path.of(text);
    }

    private static OutputStream open(Path file) throws IOException {
        if (file == null) {
            return new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush(); // never close stdout
                }
            };
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    private static Consumer<byte[]> lines(OutputStream out) {
        return line -> {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Records read so far, on one refreshed line for a terminal, every 10 s otherwise. */
    private static final class Progress {
        private final Thread thread;

        private Progress(Thread thread) {
            this.thread = thread;
        }

        static Progress start(PrintStream err) {
            boolean terminal = System.console() != null;
            long started = System.nanoTime();
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(terminal ? 1000 : 10_000);
                        double seconds = (System.nanoTime() - started) / 1e9;
                        long records = ReplayProgress.records();
                        String line = String.format("  %,d records read, %.1f MB, %,.0f records/s", records,
                                ReplayProgress.bytes() / 1e6, records / seconds);
                        err.print(terminal ? "\r" + line : line + "\n");
                    }
                } catch (InterruptedException done) {
                    if (terminal) {
                        err.print("\r\033[K");
                    }
                }
            }, "replay-progress");
            thread.setDaemon(true);
            thread.start();
            return new Progress(thread);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }
}
