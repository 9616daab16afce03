package dev.sigmacep.job;

import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.RuleLoader;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The streaming job: telemetry from Kafka topics, alerts and dead letters to Kafka topics, checkpointed.
 * Main class of the cluster jar: {@code flink run -c dev.sigmacep.job.StreamingJob sigma-cep-cluster.jar
 * --config jobs/kafka.yaml [--rules DIR]...}. Rules are read where the job is submitted and travel in the job.
 */
public final class StreamingJob {
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

    public static void run(JobSettings settings, RuleSet rules) throws Exception {
        Configuration conf = new Configuration();
        if (settings.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(settings.parallelism);
        SigmaCepJob.configure(env);
        env.enableCheckpointing(settings.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);

        JobSettings.Kafka kafka = settings.kafka;
        DataStream<String> records = env
                .fromSource(source(kafka), WatermarkStrategy.noWatermarks(), "kafka: " + kafka.inputTopics)
                .uid("source");
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules).wire(records);
        outputs.alerts().map(AlertJson::toJson).uid("alert-json").name("alert json")
                .sinkTo(sink(kafka, kafka.alertsTopic, "alerts")).uid("alerts-sink").name("kafka: " + kafka.alertsTopic);
        outputs.deadLetters()
                .map(d -> Replay.deadLetterJson("dead-letter", d.reason(), null, d.raw())).uid("dead-letter-json")
                .union(outputs.late().map(l -> Replay.deadLetterJson("late", l.reason(), l.correlationId(), l.raw()))
                        .uid("late-json"))
                .sinkTo(sink(kafka, kafka.deadLetterTopic, "dead-letters")).uid("dead-letter-sink")
                .name("kafka: " + kafka.deadLetterTopic);
        env.execute("sigma-cep");
    }

    private static KafkaSource<String> source(JobSettings.Kafka kafka) {
        OffsetsInitializer offsets = switch (kafka.startingOffsets) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        Properties properties = new Properties();
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
                        .setValueSerializationSchema((SerializationSchema<String>) s -> s.getBytes(StandardCharsets.UTF_8))
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
