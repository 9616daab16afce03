package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The streaming job: telemetry from Kafka topics, alerts and dead letters to Kafka topics, checkpointed.
 * Main class of the cluster jar: {@code flink run -d -c dev.sigmacep.job.StreamingJob sigma-cep-cluster.jar
 * --config jobs/kafka.yaml [--rules DIR]...} (detached: the job never ends), with the arguments of
 * {@code sigma-cep run} ({@link RunCommand}). Rules are read where the job is submitted and travel in the job.
 * The same jar replays history as a BATCH job when its first argument is {@code replay}
 * ({@link ClusterReplayCommand}, the options of {@code sigma-cep replay}).
 */
public final class StreamingJob {
    public static final String JOB_NAME = "sigma-cep";

    private StreamingJob() {
    }

    /**
     * Parses the arguments as {@code sigma-cep run} does and runs the job; with {@code replay} first, as
     * {@code sigma-cep replay} does, and runs the replay as a BATCH job on the cluster ({@code run} first is also
     * accepted). Never exits the JVM: under the Kubernetes operator (application mode) this runs inside the
     * JobManager. A failure is thrown, for {@code flink run} to report.
     *
     * @throws CommandLine.ParameterException on bad arguments, after printing the message and the usage
     */
    public static void main(String[] args) throws Exception {
        String first = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (first) {
            case "replay" -> execute(new ClusterReplayCommand(), StreamingJob.class.getName() + " replay", rest);
            case "run" -> execute(new RunCommand(), StreamingJob.class.getName() + " run", rest);
            // the arguments of `run` alone: how the cluster jar has always been submitted
            default -> execute(new RunCommand(), StreamingJob.class.getName(), args);
        }
    }

    private static void execute(Callable<Integer> command, String name, String[] args) throws Exception {
        CommandLine commandLine = new CommandLine(command).setCommandName(name).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            if (!CommandLine.printHelpIfRequested(commandLine.parseArgs(args))) {
                command.call();
            }
        } catch (CommandLine.ParameterException e) {
            commandLine.getParameterExceptionHandler().handleParseException(e, args);
            throw e;
        }
    }

    /**
     * Builds the job and runs it until it is cancelled (or fails), once its Kafka topics are known to exist.
     *
     * @throws IllegalArgumentException naming missing topics, before anything is submitted
     */
    public static void run(JobSettings settings, RuleSet rules) throws Exception {
        KafkaTopics.requireExisting(settings);
        StreamExecutionEnvironment env = environment(settings, new Configuration());
        build(env, settings, rules);
        env.execute(JOB_NAME);
    }

    /**
     * The execution environment of the job: the settings' parallelism and exactly-once checkpoints (the
     * transactional sinks commit on checkpoints only). {@code overrides} are further Flink options, e.g. a savepoint
     * to restore from ({@code execution.state-recovery.path}).
     */
    public static StreamExecutionEnvironment environment(JobSettings settings, Configuration overrides) {
        Configuration conf = new Configuration();
        if (settings.checkpoint().dir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpoint().dir());
        }
        conf.addAll(overrides);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment && !conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            // without a directory Flink keeps checkpoints in the JobManager's memory, at most 5 MB: a job with real
            // correlation state then fails every checkpoint, and exactly-once alerts are never committed
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, localCheckpoints().toUri().toString());
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        env.setParallelism(settings.parallelism());
        SigmaCepJob.configure(env);
        env.enableCheckpointing(settings.checkpoint().interval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /** A fresh directory for the checkpoints of a job on this machine's mini cluster (they serve its own restarts). */
    private static Path localCheckpoints() {
        try {
            return Files.createTempDirectory("sigma-cep-checkpoints-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for checkpoints", e);
        }
    }

    /** The whole graph: Kafka source (and rule updates, if set), {@link SigmaCepJob}, Kafka sinks. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings, RuleSet rules) {
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules)
                .wire(records(env, settings), RuleUpdateSources.of(env, settings));
        sinks(outputs, settings.kafka());
        String statusTopic = settings.ruleUpdates().statusTopic();
        if (outputs.ruleStatus() != null && statusTopic != null) {
            outputs.ruleStatus().map(KafkaOutput::of).uid("rule-status-json").name("rule status json")
                    .sinkTo(sink(settings.kafka(), statusTopic, "rule-status")).uid("rule-status-sink")
                    .name("kafka: " + statusTopic);
        }
    }

    /**
     * The input topics' records, decoded by the source, with event time tracked per Kafka partition: a reader that
     * holds several partitions and catches up on a backlog (after a restart, say) interleaves them in batches, and
     * a watermark per reader would then make the slower partition's events late.
     */
    public static DataStream<DecodeResult> records(StreamExecutionEnvironment env, JobSettings settings) {
        JobSettings.Kafka kafka = settings.kafka();
        return env.fromSource(source(kafka, settings.input().maxRecordChars(), FutureEvents.streaming(settings.eventTime())),
                SigmaCepJob.watermarks(settings.eventTime()), "kafka: " + kafka.inputTopics()).uid("source");
    }

    /**
     * Alerts to the alerts topic, keyed by host; dead letters and late events to the dead-letter topic. Every
     * record is stamped with the time it is produced (see {@link KafkaOutputSchema}).
     */
    public static void sinks(SigmaCepJob.Outputs outputs, JobSettings.Kafka kafka) {
        outputs.alerts().map(KafkaOutput::of).uid("alert-json").name("alert json")
                .sinkTo(sink(kafka, kafka.alertsTopic(), "alerts")).uid("alerts-sink")
                .name("kafka: " + kafka.alertsTopic());
        outputs.deadLetters().map(KafkaOutput::of).uid("dead-letter-json")
                .union(outputs.late().map(KafkaOutput::of).uid("late-json"))
                .sinkTo(sink(kafka, kafka.deadLetterTopic(), "dead-letters")).uid("dead-letter-sink")
                .name("kafka: " + kafka.deadLetterTopic());
    }

    private static KafkaSource<DecodeResult> source(JobSettings.Kafka kafka, int maxRecordChars, FutureEvents future) {
        OffsetsInitializer offsets = switch (kafka.startingOffsets()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        Properties properties = new Properties();
        // input written by a transactional producer (e.g. another exactly-once job): only what it committed
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putAll(kafka.properties());
        return KafkaSource.<DecodeResult>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.inputTopics())
                .setGroupId(kafka.groupId())
                .setStartingOffsets(offsets)
                .setProperties(properties)
                .setDeserializer(new DecodingDeserializer(maxRecordChars, future))
                .build();
    }

    /** @param purpose what the sink writes, appended to the transactional id prefix (unique per sink of a job) */
    static KafkaSink<KafkaOutput> sink(JobSettings.Kafka kafka, String topic, String purpose) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties());
        properties.setProperty("transaction.timeout.ms", String.valueOf(kafka.transactionTimeout().toMillis()));
        return KafkaSink.<KafkaOutput>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(new KafkaOutputSchema(topic))
                .setDeliveryGuarantee(switch (kafka.deliveryGuarantee()) {
                    case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
                    case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
                })
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + purpose)
                .build();
    }

    /**
     * Decodes record values, whatever they hold: a throwing deserializer would fail the job and a null would be
     * dropped silently, so bad bytes become dead letters with a reason. Events from too far in the future too
     * ({@link FutureEvents}): this runs before the partition's watermark generator sees the record.
     */
    static final class DecodingDeserializer implements KafkaRecordDeserializationSchema<DecodeResult> {
        private final int maxRecordChars;
        private final FutureEvents future;
        private transient EventDecoder decoder;

        DecodingDeserializer(int maxRecordChars, FutureEvents future) {
            this.maxRecordChars = maxRecordChars;
            this.future = future;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            decoder = new EventDecoder(maxRecordChars);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodeResult> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            out.collect(future.check(decoder.decodeOwnedUtf8(value))); // a fresh array per record: no copy
        }

        @Override
        public TypeInformation<DecodeResult> getProducedType() {
            return TypeInformation.of(DecodeResult.class);
        }
    }
}
