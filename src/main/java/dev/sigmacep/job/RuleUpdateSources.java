package dev.sigmacep.job;

import dev.sigmacep.detect.RuleUpdate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Where rule updates come from while the streaming job runs ({@code rule-updates} in a job file): rule files written
 * into a watched directory, and records of a Kafka topic (a record's value is a rule file's text). Each source has
 * parallelism 1, so every detect subtask receives the updates in one order.
 */
public final class RuleUpdateSources {
    /** A rule file larger than this is not one (the rule loader's own limit is 8 M characters). */
    static final int MAX_RULE_FILE_BYTES = 8 * 1024 * 1024;

    private RuleUpdateSources() {
    }

    /** The updates of the job's {@code rule-updates} settings, or null when it has none. */
    public static DataStream<RuleUpdate> of(StreamExecutionEnvironment env, JobSettings settings) {
        JobSettings.RuleUpdates live = settings.ruleUpdates();
        DataStream<RuleUpdate> updates = null;
        if (live.directory() != null) {
            FileSource<RuleUpdate> files = FileSource
                    .forBulkFileFormat(new RuleFileFormat(), new Path(live.directory().toUri()))
                    .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(RuleUpdateSources::isRuleFile))
                    .monitorContinuously(live.pollInterval())
                    .build();
            updates = env.fromSource(files, WatermarkStrategy.noWatermarks(), "rule files: " + live.directory())
                    .uid("rule-updates-directory").setParallelism(1);
        }
        if (live.kafkaTopic() != null) {
            DataStream<RuleUpdate> records = env.fromSource(kafka(settings.kafka(), live.kafkaTopic()),
                    WatermarkStrategy.noWatermarks(), "rule updates: " + live.kafkaTopic())
                    .uid("rule-updates-kafka").setParallelism(1);
            updates = updates == null ? records : updates.union(records);
        }
        return updates;
    }

    /** Sigma rule files by their extension; directories are walked (hidden ones and files too: editors' temp files). */
    static boolean isRuleFile(Path path) {
        String name = path.getName().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (!name.contains(".") || name.endsWith(".yml") || name.endsWith(".yaml"));
    }

    private static KafkaSource<RuleUpdate> kafka(JobSettings.Kafka kafka, String topic) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties());
        return KafkaSource.<RuleUpdate>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setGroupId(kafka.groupId() + "-rules")
                // a fresh start replays the topic onto the rules as deployed; a restore resumes where it was
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperties(properties)
                .setDeserializer(new UpdateDeserializer())
                .build();
    }

    /** A record's value as a rule file's text; its origin is where it sits in the topic. */
    static final class UpdateDeserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
        @Override
        public void open(DeserializationSchema.InitializationContext context) {
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
            String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            out.collect(new RuleUpdate(record.topic() + ":" + record.partition() + ":" + record.offset(), text));
        }

        @Override
        public TypeInformation<RuleUpdate> getProducedType() {
            return TypeInformation.of(RuleUpdate.class);
        }
    }

    /** A whole file as one update; its origin is the file's path. */
    static final class RuleFileFormat implements BulkFormat<RuleUpdate, FileSourceSplit> {
        @Override
        public Reader<RuleUpdate> createReader(Configuration config, FileSourceSplit split) {
            return new WholeFile(split, false);
        }

        @Override
        public Reader<RuleUpdate> restoreReader(Configuration config, FileSourceSplit split) {
            boolean done = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L) > 0;
            return new WholeFile(split, done);
        }

        @Override
        public boolean isSplittable() {
            return false;
        }

        @Override
        public TypeInformation<RuleUpdate> getProducedType() {
            return TypeInformation.of(RuleUpdate.class);
        }
    }

    private static final class WholeFile implements BulkFormat.Reader<RuleUpdate> {
        private final FileSourceSplit split;
        private boolean done;

        WholeFile(FileSourceSplit split, boolean done) {
            this.split = split;
            this.done = done;
        }

        @Override
        public BulkFormat.RecordIterator<RuleUpdate> readBatch() throws IOException {
            if (done) {
                return null;
            }
            done = true;
            String text;
            try (FSDataInputStream in = split.path().getFileSystem().open(split.path())) {
                byte[] bytes = in.readNBytes(MAX_RULE_FILE_BYTES + 1);
                // too large: the rule loader rejects the text with a reason, so the update gets a status
                text = new String(bytes, StandardCharsets.UTF_8);
            }
            SingletonResultIterator<RuleUpdate> one = new SingletonResultIterator<>();
            one.set(new RuleUpdate(split.path().toString(), text), CheckpointedPosition.NO_OFFSET, 1);
            return one;
        }

        @Override
        public void close() {
        }
    }
}
