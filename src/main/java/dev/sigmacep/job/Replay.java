package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Replays telemetry files through the job on an embedded Flink mini cluster, by default in BATCH mode: every file
 * is read to its end, results do not depend on record order, and the client receives alerts, dead letters and
 * late events.
 */
public final class Replay {
    private final JobSettings settings;
    private final RuleSet rules;
    private final RuntimeExecutionMode mode;
    private final EmbeddedCluster cluster;

    /**
     * @param mode    BATCH (the CLI's default) sorts by event time before correlating; STREAMING runs the files as the
     *                streaming job would see them, watermarks and late events included
     * @param cluster the embedded cluster to run on, started early ({@link #startCluster}); null: Flink's own local
     *                execution, or the context's cluster (a test's, or {@code flink run}'s)
     */
    public Replay(JobSettings settings, RuleSet rules, RuntimeExecutionMode mode, EmbeddedCluster cluster) {
        this.settings = settings;
        this.rules = rules;
        this.mode = mode;
        this.cluster = cluster;
    }

    /**
     * Starts the embedded cluster a replay with these settings will run on, in the background, so that it comes up
     * while the caller loads rules; null where replays do not run on an embedded cluster of their own.
     */
    public static EmbeddedCluster startCluster(JobSettings settings) {
        return EmbeddedCluster.startIfLocal(localConfiguration(), settings.parallelism());
    }

    /** Outside a cluster (the CLI) these configure an embedded mini cluster; in tests, the test's mini cluster. */
    private static Configuration localConfiguration() {
        Configuration local = new Configuration();
        // on one machine compressing the exchanges costs more CPU than it saves, BATCH's files on local disk included
        // (docs/benchmarks.md, round 6)
        local.set(NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC, NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        // results go straight to the client (ClientSink): a retried task would hand them over twice, so a failure
        // fails the replay
        local.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return local;
    }

    /**
     * What a replay did, for the summary table. Alert counts are keyed by rule label (name, else id, else title).
     * {@code lateEvents}, {@code missingGroupByField} and {@code overCap} (inputs over a correlation's state caps)
     * count (event, correlation) pairs: one event two correlations need counts twice. {@code internalErrors}
     * counts bugs met in rule evaluation ((event, rule) pairs where the rule threw, events no rule could evaluate);
     * such an event is also a dead letter, but not in {@code deadLetters}, which counts records that did not decode.
     */
    public record Result(long recordsRead, Map<String, Long> eventsByFormat, long deadLetters, long lateEvents,
                         long missingGroupByField, long overCap, long matchedEvents, long internalErrors,
                         Map<String, Long> alertsByRule, Duration wallTime) {
        public long events() {
            return eventsByFormat.values().stream().mapToLong(Long::longValue).sum();
        }

        public long alerts() {
            return alertsByRule.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param alerts      receives each alert as one JSON line, UTF-8, without the line end
     * @param deadLetters receives each dead letter or late event as one JSON line, UTF-8, without the line end
     */
    public Result run(List<Path> files, Consumer<byte[]> alerts, Consumer<byte[]> deadLetters) throws Exception {
        // the job runs in this JVM (its results come to this client, see ClientSink): in BATCH its correlations can read
        // records back from the input files instead of carrying them through the exchange, sort and spill
        return run(env -> ReplaySources.files(env, settings, flinkPaths(files), future(),
                mode == RuntimeExecutionMode.BATCH), alerts, deadLetters);
    }

    /**
     * A bounded read of Kafka topics instead of files: from {@code from} to {@code to} (not included), with the
     * brokers and client properties of the settings' {@code kafka} section.
     */
    public Result runKafka(List<String> topics, KafkaPosition from, KafkaPosition to, Consumer<byte[]> alerts,
                           Consumer<byte[]> deadLetters) throws Exception {
        return run(env -> ReplaySources.kafka(env, settings, topics, from, to, future()), alerts, deadLetters);
    }

    /**
     * A STREAMING replay runs the files as the streaming job would, so it refuses events from the future as that job
     * does; BATCH has no watermark they could push, and history is replayed whatever its dates.
     */
    private FutureEvents future() {
        return mode == RuntimeExecutionMode.STREAMING ? FutureEvents.streaming(settings.eventTime()) : FutureEvents.NONE;
    }

    private Result run(Function<StreamExecutionEnvironment, DataStream<DecodeResult>> source, Consumer<byte[]> alerts,
                       Consumer<byte[]> deadLetters) throws Exception {
        long start = System.nanoTime();
        ReplayProgress.reset();
        StreamExecutionEnvironment env = cluster != null ? cluster.environment()
                : StreamExecutionEnvironment.getExecutionEnvironment(localConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(settings.parallelism());
        SigmaCepJob.configure(env);

        DataStream<DecodeResult> records = source.apply(env);
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules).wire(records);
        try (ClientSink.Channel channel = new ClientSink.Channel(alerts, deadLetters)) {
            toClient(outputs, new ClientSink(channel));
            JobExecutionResult result = env.execute("sigma-cep replay");
            return summary(result, channel.alertsByRule(), start);
        }
    }

    /**
     * Each result is formatted and handed over where it is made: a sink per output, chained to its map, and one per
     * operator that makes alerts, chained to it (no alert goes through an exchange).
     */
    static void toClient(SigmaCepJob.Outputs outputs, ClientSink client) {
        outputs.alertsWhereMade().forEach((maker, made) -> made.map(ReplayOutput::of)
                .uid("alert-json-" + maker).name("alerts")
                .sinkTo(client).uid("client-alerts-" + maker).name("to the client: alerts"));
        outputs.deadLetters().map(ReplayOutput::of).uid("dead-letter-json").name("dead letters")
                .sinkTo(client).uid("client-dead-letters").name("to the client: dead letters");
        outputs.late().map(ReplayOutput::of).uid("late-json").name("late events")
                .sinkTo(client).uid("client-late").name("to the client: late events");
    }

    static Result summary(JobExecutionResult result, Map<String, Long> alertsByRule, long start) {
        Map<String, Object> counts = result.getAllAccumulatorResults();
        Map<String, Long> eventsByFormat = new TreeMap<>();
        counts.forEach((name, value) -> {
            if (name.startsWith("events.")) {
                eventsByFormat.put(name.substring("events.".length()), (Long) value);
            }
        });
        long deadLettered = count(counts, "records.dead-lettered");
        long events = eventsByFormat.values().stream().mapToLong(Long::longValue).sum();
        return new Result(events + deadLettered, eventsByFormat, deadLettered,
                count(counts, "correlate.late-events"), count(counts, "correlate.missing-group-by-field"),
                count(counts, "correlate.over-cap.inputs-per-group") + count(counts, "correlate.over-cap.groups"),
                count(counts, "detect.matched-events"), count(counts, "detect.internal-errors"), alertsByRule,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<org.apache.flink.core.fs.Path> flinkPaths(List<Path> files) {
        return files.stream().map(file -> new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri())).toList();
    }

    private static long count(Map<String, Object> counts, String name) {
        Object value = counts.get(name);
        return value == null ? 0 : (Long) value;
    }
}
