package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The replay as a BATCH job on a cluster: {@code flink run [-d] <cluster jar> replay --input URI... --output DIR
 * [--dead-letter DIR]}, with the options of {@code bin/sigma-cep replay} ({@link ReplayOptions}). The graph is the
 * replay's ({@link ReplaySources}, {@link SigmaCepJob}); what differs is where results go: part files on any Flink
 * file system (one JSON line per alert, the alert schema of the embedded replay) or Kafka topics, instead of the
 * client. Attached ({@code flink run} without {@code -d}), the client prints the replay's summary when the job ends.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays telemetry (files on any Flink file system, or a bounded Kafka read) as a BATCH job on"
                + " the cluster the jar is submitted to: flink run [-d] <cluster jar> replay --input URI... --output DIR.",
                "Alerts and dead letters go to part files in directories (--output, --dead-letter) or to Kafka topics"
                        + " (--alerts-topic, --dead-letter-topic); the summary is printed when the job ends (not with -d)."})
public final class ClusterReplayCommand implements Callable<Integer> {
    public static final String JOB_NAME = "sigma-cep replay";

    @Mixin
    ReplayOptions options;

    @Override
    public Integer call() throws Exception {
        options.check();
        if (options.mode() != RuntimeExecutionMode.BATCH) {
            throw new IllegalArgumentException("a replay on a cluster runs in BATCH mode; --mode " + options.mode()
                    + " is for bin/sigma-cep replay");
        }
        JobSettings settings = options.settings();
        RuleSet rules = options.rules(settings);
        PrintStream out = System.out;

        List<String> topics = options.inputTopics();
        List<Path> files = List.of();
        String input;
        if (topics.isEmpty()) {
            List<String> inputs = !options.inputs().isEmpty() ? options.inputs()
                    : settings.input().paths().stream().map(java.nio.file.Path::toString).toList();
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no input: give --input PATH... or --input-topic TOPIC... "
                        + "(or input.paths in --config)");
            }
            files = InputFiles.expandUris(inputs);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no telemetry files (.json .ndjson .jsonl .gz .zip) in " + inputs);
            }
            input = files.size() + (files.size() == 1 ? " file" : " files");
        } else {
            input = "Kafka " + topics + " from " + options.from().kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " to " + options.to().kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        String alertsDir = options.output() != null ? options.output()
                : options.alertsTopic() == null && settings.output().alerts() != null
                ? settings.output().alerts().toString() : null;
        String deadLetterDir = options.deadLetter() != null ? options.deadLetter()
                : options.deadLetterTopic() == null && settings.output().deadLetter() != null
                ? settings.output().deadLetter().toString() : null;
        if (alertsDir == null && options.alertsTopic() == null) {
            throw new IllegalArgumentException("a replay on a cluster writes its alerts to files or Kafka: give"
                    + " --output DIR (a Flink file system path) or --alerts-topic TOPIC");
        }
        if (alertsDir != null) {
            requireEmptyDirectory(alertsDir, "--output");
        }
        if (deadLetterDir != null) {
            requireEmptyDirectory(deadLetterDir, "--dead-letter");
        }
        Map<String, String> kafkaTopics = new LinkedHashMap<>();
        topics.forEach(topic -> kafkaTopics.putIfAbsent(topic, "--input-topic"));
        if (options.alertsTopic() != null) {
            kafkaTopics.putIfAbsent(options.alertsTopic(), "--alerts-topic");
        }
        if (options.deadLetterTopic() != null) {
            kafkaTopics.putIfAbsent(options.deadLetterTopic(), "--dead-letter-topic");
        }
        if (!kafkaTopics.isEmpty()) {
            KafkaTopics.requireExisting(settings.kafka(), kafkaTopics);
        }

        out.printf("sigma-cep replay on the cluster: %s, %d detection rules, %d correlations (%d runnable),"
                        + " %d rules rejected%n", input, rules.model().pack().rules().size(),
                rules.model().correlations().size(), rules.model().plans().size(), rules.model().errors().size());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(settings.parallelism());
        SigmaCepJob.configure(env);
        // a cluster's tasks read back nothing by position: the reading and the correlating task may be JVMs apart
        DataStream<DecodeResult> records = topics.isEmpty()
                ? ReplaySources.files(env, settings, files, FutureEvents.NONE, false)
                : ReplaySources.kafka(env, settings, topics, options.from(), options.to(), FutureEvents.NONE);
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules).wire(records);

        // alerts are counted per rule by the job (AlertCount)
        if (alertsDir != null) {
            // part files from a sink chained to each operator that makes alerts: no exchange of alerts
            outputs.alertsWhereMade().forEach((maker, alerts) -> alerts.map(ReplayOutput::of)
                    .uid("alert-json-" + maker).name("alert json")
                    .sinkTo(files(alertsDir, "alerts")).uid("alerts-sink-" + maker).name("files: " + alertsDir));
        } else {
            // one transactional Kafka sink
            outputs.alerts().map(KafkaOutput::of).uid("alert-json").name("alert json")
                    .sinkTo(StreamingJob.sink(settings.kafka(), options.alertsTopic(), "replay-alerts"))
                    .uid("alerts-sink").name("kafka: " + options.alertsTopic());
        }
        if (deadLetterDir != null) {
            outputs.deadLetters().map(ReplayOutput::of).uid("dead-letter-json").name("dead letters")
                    .union(outputs.late().map(ReplayOutput::of).uid("late-json").name("late events"))
                    .sinkTo(files(deadLetterDir, "dead-letters")).uid("dead-letter-sink").name("files: " + deadLetterDir);
        } else if (options.deadLetterTopic() != null) {
            outputs.deadLetters().map(KafkaOutput::of).uid("dead-letter-json").name("dead letters")
                    .union(outputs.late().map(KafkaOutput::of).uid("late-json").name("late events"))
                    .sinkTo(StreamingJob.sink(settings.kafka(), options.deadLetterTopic(), "replay-dead-letters"))
                    .uid("dead-letter-sink").name("kafka: " + options.deadLetterTopic());
        } else {
            // counted (records.dead-lettered, correlate.late-events), not kept
            outputs.deadLetters().map(ReplayOutput::of).uid("dead-letter-json").name("dead letters")
                    .union(outputs.late().map(ReplayOutput::of).uid("late-json").name("late events"))
                    .sinkTo(new DiscardingSink<>()).uid("dead-letter-sink").name("dead letters: counted only");
        }

        long start = System.nanoTime();
        JobExecutionResult result = env.execute(JOB_NAME);
        if (!result.isJobExecutionResult()) {
            out.printf("submitted detached as job %s; the summary is in the job's accumulators (web UI)%n",
                    result.getJobID());
            return 0;
        }
        Map<String, Long> alertsByRule = new TreeMap<>();
        result.getAllAccumulatorResults().forEach((name, value) -> {
            if (name.startsWith(AlertCount.PREFIX)) {
                alertsByRule.put(name.substring(AlertCount.PREFIX.length()), (Long) value);
            }
        });
        ReplaySummary.print(out, input, Replay.summary(result, alertsByRule, start),
                deadLetterDir != null || options.deadLetterTopic() != null);
        out.printf("  %-44s %15s%n", "job", result.getJobID());
        return 0;
    }

    /**
     * A replay's part files go beside whatever the directory holds, so an earlier replay's would mix in: the
     * directory must be new or empty.
     */
    private static void requireEmptyDirectory(String dir, String option) throws IOException {
        Path path = InputFiles.flinkPath(dir);
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
            return;
        }
        FileStatus[] children = fs.listStatus(path);
        if (!fs.getFileStatus(path).isDir() || children != null && children.length > 0) {
            throw new IllegalArgumentException(option + " " + dir + " is not an empty directory: on a cluster it names"
                    + " a directory for part files; give a new or empty one");
        }
    }

    /**
     * Part files {@code PREFIX-<uuid>-<subtask>-<n>.ndjson} directly in {@code dir}, one JSON line per result;
     * in BATCH mode they are committed (renamed from in-progress files) when the job ends.
     */
    private static FileSink<ReplayOutput> files(String dir, String prefix) {
        return FileSink.forRowFormat(InputFiles.flinkPath(dir), new JsonLines())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".ndjson").build())
                .build();
    }

    /** A result's JSON line and a line end. */
    static final class JsonLines implements Encoder<ReplayOutput> {
        @Override
        public void encode(ReplayOutput output, OutputStream stream) throws IOException {
            stream.write(output.json());
            stream.write('\n');
        }
    }
}
