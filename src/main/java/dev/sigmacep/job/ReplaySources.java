package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.SourceFiles;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.util.List;
import java.util.Properties;

/**
 * The sources of a replay, the same for the embedded replay and the replay on a cluster: telemetry files on any Flink
 * file system, or a bounded read of Kafka topics. Both decode records themselves and track event time per file or
 * Kafka partition, as the streaming job does.
 */
final class ReplaySources {
    private ReplaySources() {
    }

    /**
     * JSON Lines files are read in byte ranges, in parallel, so that one large file does not leave all but one
     * subtask idle; other files (pretty-printed, compressed, zip) are read whole, each by one subtask. Files and
     * ranges are handed out in order ({@link InOrderSplitAssigner}), so that in STREAMING none is late as a whole.
     *
     * @param files      files, not directories (see {@link InputFiles})
     * @param future     {@link FutureEvents#NONE} in BATCH mode; in STREAMING, the streaming job's guard
     * @param positioned whether the events of local, uncompressed JSON Lines files know where their records lie, so
     *                   that BATCH exchanges carry positions instead of records ({@link PositionedJsonLinesFormat}):
     *                   only for a BATCH job in the JVM that reads its files, and only for up to
     *                   {@link SourceFiles#MAX_READ_BACK_FILES} JSON Lines files (each is kept open to read back from)
     */
    static DataStream<DecodeResult> files(StreamExecutionEnvironment env, JobSettings settings, List<Path> files,
                                          FutureEvents future, boolean positioned) {
        Path[] lines = files.stream().filter(file -> InputFiles.isJsonLines(file.getName())).toArray(Path[]::new);
        Path[] whole = files.stream().filter(file -> !InputFiles.isJsonLines(file.getName())).toArray(Path[]::new);
        DataStream<DecodeResult> records = null;
        if (lines.length > 0) {
            FileSource<DecodeResult> source = FileSource
                    .forBulkFileFormat(
                            new PositionedJsonLinesFormat(new JsonLinesFormat(settings.input().maxRecordChars(), future),
                                    positioned && lines.length <= SourceFiles.MAX_READ_BACK_FILES), lines)
                    .setFileEnumerator(() -> new ByteRangeEnumerator(ByteRangeEnumerator.RANGE_BYTES))
                    .setSplitAssigner(InOrderSplitAssigner::new)
                    .build();
            records = env
                    .fromSource(source, SigmaCepJob.watermarks(settings.eventTime()), "telemetry files (JSON Lines)")
                    .uid("source-json-lines");
        }
        if (whole.length > 0 || records == null) {
            FileSource<DecodeResult> source = FileSource
                    .forBulkFileFormat(
                            new WholeFileFormat(new JsonRecordFormat(settings.input().maxRecordChars(), future)), whole)
                    .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(path -> true))
                    .setSplitAssigner(InOrderSplitAssigner::new)
                    .build();
            DataStream<DecodeResult> read = env
                    .fromSource(source, SigmaCepJob.watermarks(settings.eventTime()), "telemetry files").uid("source");
            records = records == null ? read : records.union(read);
        }
        return records;
    }

    /**
     * The records of {@code topics} from {@code from} to {@code to} (not included), read with
     * {@code isolation.level=read_committed} and the job file's {@code kafka.properties}; no offsets are committed.
     *
     * @param future {@link FutureEvents#NONE} in BATCH mode; in STREAMING, the streaming job's guard
     */
    static DataStream<DecodeResult> kafka(StreamExecutionEnvironment env, JobSettings settings, List<String> topics,
                                          KafkaPosition from, KafkaPosition to, FutureEvents future) {
        JobSettings.Kafka kafka = settings.kafka();
        Properties properties = new Properties();
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putAll(kafka.properties());
        KafkaSource<DecodeResult> source = KafkaSource.<DecodeResult>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topics)
                .setStartingOffsets(from.starting())
                .setBounded(to.stopping())
                .setProperties(properties)
                .setDeserializer(new StreamingJob.DecodingDeserializer(settings.input().maxRecordChars(), future))
                .build();
        return env.fromSource(source, SigmaCepJob.watermarks(settings.eventTime()), "kafka (bounded): " + topics)
                .uid("source");
    }
}
