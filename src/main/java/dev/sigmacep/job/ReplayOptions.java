package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code replay}, one definition for both replays: {@code bin/sigma-cep replay} (an embedded Flink)
 * and the cluster jar's {@code replay} ({@link ClusterReplayCommand}, a BATCH job submitted with {@code flink run}),
 * so the two cannot drift apart. Each reads what it can: files or a bounded Kafka read in, files (or, on the
 * cluster, Kafka topics) out. Kept in {@code job} because the cluster jar's main class cannot depend on {@code cli}.
 */
public final class ReplayOptions {
    @Option(names = "--input", paramLabel = "PATH", arity = "1..*",
            description = {"files or directories (.json .ndjson .jsonl, optionally .gz; .zip archives too);",
                    "on a cluster any Flink file system path: file:///..., s3://bucket/..., hdfs://... "
                            + "(a path without a scheme is a local path, made absolute)"})
    List<String> inputs = new ArrayList<>();

    @Option(names = "--input-topic", paramLabel = "TOPIC", arity = "1..*",
            description = "instead of files: a bounded read of these Kafka topics, from --from to --to")
    List<String> inputTopics = new ArrayList<>();

    @Option(names = "--from", paramLabel = "POSITION", defaultValue = "earliest",
            description = "start of the Kafka read: earliest (default), latest, a record timestamp "
                    + "(2024-03-12T00:00:00Z or epoch ms: the first record at or after it) or offsets "
                    + "TOPIC:PARTITION:OFFSET[,...]")
    String from;

    @Option(names = "--to", paramLabel = "POSITION", defaultValue = "latest",
            description = "end of the Kafka read, not included: latest (default: the end offsets when the job "
                    + "starts), a record timestamp or offsets TOPIC:PARTITION:OFFSET[,...]")
    String to;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers of --input-topic, --alerts-topic and --dead-letter-topic "
                    + "(default: kafka.bootstrap-servers of --config)")
    String bootstrapServers;

    @Mixin
    RuleOptions ruleOptions;

    @Option(names = {"--output", "--alerts"}, paramLabel = "FILE",
            description = {"alerts as NDJSON (default: stdout);",
                    "on a cluster a directory (any Flink file system path) that receives part files alerts-*.ndjson"})
    String output;

    @Option(names = {"--dead-letter", "--dead-letters"}, paramLabel = "FILE",
            description = {"records that could not be decoded, and late events, as NDJSON with a reason each;",
                    "on a cluster a directory that receives part files dead-letters-*.ndjson"})
    String deadLetter;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC",
            description = "on a cluster: alerts to this Kafka topic instead of files (keyed by host)")
    String alertsTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "on a cluster: dead letters and late events to this Kafka topic instead of files")
    String deadLetterTopic;

    @Option(names = "--config", paramLabel = "FILE", description = "job configuration (jobs/*.yaml)")
    Path config;

    @Option(names = "--parallelism", paramLabel = "N", description = "operator parallelism (default: config, else cores)")
    Integer parallelism;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "BATCH",
            description = "BATCH (default: sorted by event time, order-independent) or STREAMING (as the streaming"
                    + " job would see the files: watermarks, late events; files are read one after another, so"
                    + " a file older than the ones before it is late)")
    RuntimeExecutionMode mode;

    /** The job file's settings (defaults without {@code --config}) with this command line's overrides. */
    public JobSettings settings() throws IOException {
        JobSettings settings = config == null ? JobSettings.defaults() : JobSettings.load(config);
        JobSettings.Builder builder = settings.toBuilder();
        if (parallelism != null) {
            builder.parallelism(parallelism);
        }
        if (bootstrapServers != null) {
            builder.bootstrapServers(bootstrapServers);
        }
        return builder.build();
    }

    /** @see RuleOptions#load */
    public RuleSet rules(JobSettings settings) throws IOException {
        return ruleOptions.load(settings.rules(), settings.placeholders());
    }

    public List<String> inputs() {
        return List.copyOf(inputs);
    }

    public List<String> inputTopics() {
        return List.copyOf(inputTopics);
    }

    /** @throws IllegalArgumentException naming the option */
    public KafkaPosition from() {
        return KafkaPosition.parse(from, "--from");
    }

    /** @throws IllegalArgumentException naming the option */
    public KafkaPosition to() {
        KafkaPosition end = KafkaPosition.parse(to, "--to");
        if (end.kind() == KafkaPosition.Kind.EARLIEST) {
            throw new IllegalArgumentException("--to earliest reads nothing: give latest, a timestamp or offsets");
        }
        return end;
    }

    /** {@code --from}/{@code --to} as written: whether they were given is checked against --input-topic. */
    boolean kafkaBoundsGiven() {
        return !"earliest".equalsIgnoreCase(from.trim()) || !"latest".equalsIgnoreCase(to.trim());
    }

    public String output() {
        return output;
    }

    public String deadLetter() {
        return deadLetter;
    }

    public String alertsTopic() {
        return alertsTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public RuntimeExecutionMode mode() {
        return mode;
    }

    /**
     * The checks both replays make: files or topics, not both; {@code --from}/{@code --to} only with topics; a file
     * and a topic for the same output not both.
     *
     * @throws IllegalArgumentException naming the options
     */
    public void check() {
        if (!inputs.isEmpty() && !inputTopics.isEmpty()) {
            throw new IllegalArgumentException("give --input or --input-topic, not both");
        }
        if (inputTopics.isEmpty() && kafkaBoundsGiven()) {
            throw new IllegalArgumentException("--from and --to bound a Kafka read: they need --input-topic");
        }
        if (!inputTopics.isEmpty()) {
            from();
            to();
        }
        if (output != null && alertsTopic != null) {
            throw new IllegalArgumentException("give --output or --alerts-topic, not both");
        }
        if (deadLetter != null && deadLetterTopic != null) {
            throw new IllegalArgumentException("give --dead-letter or --dead-letter-topic, not both");
        }
    }
}
