package dev.sigmacep.cli;

import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.Replay;
import dev.sigmacep.job.ReplayProgress;
import dev.sigmacep.job.RuleOptions;
import org.apache.flink.api.common.RuntimeExecutionMode;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays telemetry files through the job on an embedded Flink (BATCH mode).",
                "Alerts go to --output as NDJSON (stdout if absent); progress and a summary table go to stderr."})
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "PATH", arity = "1..*",
            description = "files or directories (.json .ndjson .jsonl, optionally .gz; .zip archives too)")
    List<Path> inputs = new ArrayList<>();

    @Mixin
    RuleOptions ruleOptions;

    @Option(names = "--output", paramLabel = "FILE", description = "alerts as NDJSON (default: stdout)")
    Path output;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "records that could not be decoded, and late events, as NDJSON with a reason each")
    Path deadLetter;

    @Option(names = "--config", paramLabel = "FILE", description = "job configuration (jobs/*.yaml)")
    Path config;

    @Option(names = "--parallelism", paramLabel = "N", description = "operator parallelism (default: config, else cores)")
    Integer parallelism;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "BATCH",
            description = "BATCH (default: sorted by event time, order-independent) or STREAMING (as the streaming"
                    + " job would see the files: watermarks, late events; files are read one after another, so"
                    + " a file older than the ones before it is late)")
    RuntimeExecutionMode mode;

    @Option(names = "--quiet", description = "no progress display")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        JobSettings settings = config == null ? JobSettings.defaults() : JobSettings.load(config);
        if (parallelism != null) {
            settings = settings.toBuilder().parallelism(parallelism).build();
        }
        List<Path> inputPaths = !inputs.isEmpty() ? inputs : settings.input().paths();
        if (inputPaths.isEmpty()) {
            throw new IllegalArgumentException("no input: give --input PATH... (or input.paths in --config)");
        }
        List<Path> files = InputFiles.expand(inputPaths);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no telemetry files (.json .ndjson .jsonl .gz .zip) in " + inputPaths);
        }
        RuleSet rules = ruleOptions.load(settings.rules(), settings.placeholders());
        PrintStream err = System.err;
        DetectionModel model = rules.model();
        err.printf("sigma-cep replay: %d files, %d detection rules, %d correlations (%d runnable), %d rules rejected%n",
                files.size(), model.pack().rules().size(), model.correlations().size(), model.plans().size(),
                model.errors().size());
        model.errors().stream().limit(10).forEach(e -> err.printf("  rejected %s (%s): %s%n", e.path(), e.id(), e.reason()));
        if (model.errors().size() > 10) {
            err.printf("  ... and %d more (see: sigma-cep rules validate)%n", model.errors().size() - 10);
        }

        Path deadLetterPath = deadLetter != null ? deadLetter : settings.output().deadLetter();
        Path outputPath = output != null ? output : settings.output().alerts();
        Progress progress = quiet ? null : Progress.start(err);
        Replay.Result result;
        try (OutputStream alerts = open(outputPath); OutputStream deadLetters = deadLetterPath == null ? null : open(deadLetterPath)) {
            result = new Replay(settings, rules, mode).run(files, lines(alerts), deadLetters == null ? line -> { } : lines(deadLetters));
        } finally {
            if (progress != null) {
                progress.stop();
            }
        }
        ReplaySummary.print(err, files.size(), result, deadLetterPath);
        return 0;
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
