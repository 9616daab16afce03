package dev.sigmacep.job;

import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.RuleLoader;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The streaming job: telemetry from Kafka topics, alerts and dead letters to Kafka topics, checkpointed.
 * Main class of the cluster jar: {@code flink run -c dev.sigmacep.job.StreamingJob sigma-cep-cluster.jar
 * --config jobs/kafka.yaml [--rules DIR]...}. Rules are read where the job is submitted and travel in the job.
 */
public final class StreamingJob {
    public static final String JOB_NAME = "sigma-cep";
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    private StreamingJob() {
    }

    public static void main(String[] args) throws Exception {
        Path config = null;
        List<Path> ruleDirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--rules" -> ruleDirs.add(Path.of(value(args, ++i, "--rules")));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (usage: --config FILE [--rules DIR]...)");
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        JobSettings settings = JobSettings.load(config);
        if (ruleDirs.isEmpty()) {
            settings.rules.forEach(rule -> ruleDirs.add(Path.of(rule)));
        }
        if (ruleDirs.isEmpty()) {
            throw new IllegalArgumentException("no rules: set rules: in " + config + " or pass --rules DIR");
        }
        MatchContext context;
        try {
            context = settings.placeholders == null ? MatchContext.empty()
                    : RuleLoader.placeholdersFromYaml(Path.of(settings.placeholders));
        } catch (SigmaRuleException e) {
            throw new IllegalArgumentException("placeholders: " + e.getMessage(), e);
        }
        run(settings, new RuleSet(RuleLoader.readSources(ruleDirs), context));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Builds the job and runs it until it is cancelled (or fails). */
    public static void run(JobSettings settings, RuleSet rules) throws Exception {
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
        if (settings.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir);
        }
        conf.addAll(overrides);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(settings.parallelism);
        SigmaCepJob.configure(env);
        env.enableCheckpointing(settings.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /** The whole graph: Kafka source, {@link SigmaCepJob}, Kafka sinks. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings, RuleSet rules) {
        sinks(new SigmaCepJob(settings, rules).wire(records(env, settings.kafka)), settings.kafka);
    }

    /**
     * The raw records of the input topics, one string per Kafka record value. Fails if a source reader would read
     * more than one partition (see {@link #checkOnePartitionPerReader}).
     */
    public static DataStream<String> records(StreamExecutionEnvironment env, JobSettings.Kafka kafka) {
        checkOnePartitionPerReader(kafka, env.getParallelism());
        return env.fromSource(source(kafka), WatermarkStrategy.noWatermarks(), "kafka: " + kafka.inputTopics)
                .uid("source");
    }

    /**
     * Event-time watermarks are made after decoding, one generator per parallel reader, not per Kafka partition.
     * A reader with two partitions interleaves them as its fetches come back; whenever it catches up on a backlog
     * (a restart from a checkpoint, a lagging job, a first start on a full topic) a whole batch of one partition
     * can come before the other's, the watermark jumps ahead, and the other partition's events are late: dropped
     * from correlation (to the dead-letter topic as {@code late}). So each reader must own at most one partition:
     * parallelism at least the partition count of the input topics. Checked when the job is built, with the
     * connector's own assignment of partitions to readers; if the brokers cannot be asked, a warning only.
     */
    static void checkOnePartitionPerReader(JobSettings.Kafka kafka, int parallelism) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        properties.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        Map<String, TopicDescription> topics;
        try (Admin admin = Admin.create(properties)) {
            topics = admin.describeTopics(kafka.inputTopics).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warn("Could not count the partitions of {} at {} ({}); make sure the parallelism ({}) is at least"
                    + " their number", kafka.inputTopics, kafka.bootstrapServers, e.getMessage(), parallelism);
            return;
        }
        Map<Integer, List<String>> byReader = new TreeMap<>();
        int partitions = 0;
        for (TopicDescription topic : topics.values()) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                partitions++;
                byReader.computeIfAbsent(readerOf(topic.name(), partition.partition(), parallelism),
                        reader -> new ArrayList<>()).add(topic.name() + "-" + partition.partition());
            }
        }
        for (Map.Entry<Integer, List<String>> reader : byReader.entrySet()) {
            if (reader.getValue().size() > 1) {
                throw new IllegalArgumentException("parallelism " + parallelism + " is too low for the "
                        + partitions + " partitions of " + kafka.inputTopics + ": reader " + reader.getKey()
                        + " would read " + reader.getValue() + ", and event time is tracked per reader, not per"
                        + " partition (events would be late after a restart). Set parallelism to at least "
                        + partitions + (kafka.inputTopics.size() > 1 ? " (or more: with several topics, until no"
                        + " reader gets two partitions)" : "") + ".");
            }
        }
    }

    /** The reader that the Kafka source's enumerator assigns a partition to (KafkaSourceEnumerator#getSplitOwner). */
    static int readerOf(String topic, int partition, int readers) {
        int start = ((topic.hashCode() * 31) & 0x7FFFFFFF) % readers;
        return (start + partition) % readers;
    }

    /** Alerts to the alerts topic; dead letters and late events to the dead-letter topic. */
    public static void sinks(SigmaCepJob.Outputs outputs, JobSettings.Kafka kafka) {
        outputs.alerts().map(AlertJson::toJson).uid("alert-json").name("alert json")
                .sinkTo(sink(kafka, kafka.alertsTopic, "alerts")).uid("alerts-sink").name("kafka: " + kafka.alertsTopic);
        outputs.deadLetters()
                .map(d -> Replay.deadLetterJson("dead-letter", d.reason(), null, d.raw())).uid("dead-letter-json")
                .union(outputs.late().map(l -> Replay.deadLetterJson("late", l.reason(), l.correlationId(), l.raw()))
                        .uid("late-json"))
                .sinkTo(sink(kafka, kafka.deadLetterTopic, "dead-letters")).uid("dead-letter-sink")
                .name("kafka: " + kafka.deadLetterTopic);
    }

    private static KafkaSource<String> source(JobSettings.Kafka kafka) {
        OffsetsInitializer offsets = switch (kafka.startingOffsets) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        Properties properties = new Properties();
        // input written by a transactional producer (e.g. another exactly-once job): only what it committed
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putAll(kafka.properties);
        return KafkaSource.<String>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(kafka.inputTopics)
                .setGroupId(kafka.groupId)
                .setStartingOffsets(offsets)
                .setProperties(properties)
                .setDeserializer(new RawRecords())
                .build();
    }

    private static KafkaSink<String> sink(JobSettings.Kafka kafka, String topic, String purpose) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.setProperty("transaction.timeout.ms", String.valueOf(kafka.transactionTimeout.toMillis()));
        boolean exactlyOnce = "exactly-once".equals(kafka.deliveryGuarantee);
        return KafkaSink.<String>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic(topic)
                        // a class, not a lambda: the sink's lineage vertex extracts the schema's type when the graph
                        // is built and fails on a lambda ("could not be inferred")
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix + "-" + purpose)
                .build();
    }

    /**
     * Record values as text, whatever they hold: a throwing deserializer would fail the job and a null would
     * be dropped silently, so bad bytes travel on and are dead-lettered by the decoder with a reason.
     */
    static final class RawRecords implements KafkaRecordDeserializationSchema<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
            out.collect(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
