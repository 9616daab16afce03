package dev.sigmacep.bench;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.generate.BackgroundRecords;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * State at fleet scale, and that it goes once the timespans have passed, read from savepoints of the whole job
 * ({@code SigmaCepJob}: detect, every correlation of {@code rules/wer} with its state caps, parallelism 1, default
 * state backend) fed with records decoded in the job:
 * <ol>
 *   <li>{@code hosts} distinct hosts send one record each in the same 20 minutes, of which {@code chains} open a
 *   {@code wer_masquerade_chain} (the no-argument WER start and its connection 5 s later; no child shell, so every
 *   chain stays partial) and the rest one record of ordinary activity (the generator's background: process starts,
 *   connections, image loads, file and registry events; WER uploading reports connects out, so a few of them enter
 *   the correlations without starting anything). Savepoint and heap after full GC while all is held.</li>
 *   <li>One more record, a day later, moves the watermark past every timespan (and the caps' two timespans).
 *   Savepoint and heap again: what is left of the correlations' state.</li>
 * </ol>
 * Each figure is the difference to the same job running and holding nothing. Run: {@code FleetStateFootprint
 * [HOSTS [CHAINS]]} (defaults 1,000,000 and 100,000) with a heap for the records and the state (-Xmx6g).
 */
public final class FleetStateFootprint {
    private static final Instant START = Instant.parse("2024-03-12T00:00:00Z");
    private static final Duration SPREAD = Duration.ofMinutes(20);

    /**
     * Savepoint sizes and heap used after full GC, in bytes: before the job, running empty, holding the partial chains,
     * after the timespans; {@code chainRecordBytes}: the chain records held, as read; alerts by rule name.
     */
    public record Result(int hosts, int chains, String stateBackend, long chainRecordBytes, long savepointEmpty,
                         long savepointHeld, long savepointAfter, long heapBeforeJob, long heapEmpty, long heapHeld,
                         long heapAfter, Map<String, Long> alerts, long late) {
        public long stateHeld() { return savepointHeld - savepointEmpty; }

        public long stateAfter() { return savepointAfter - savepointEmpty; }
    }

    /** The records in emission order (shared with the job's source, same JVM); the last one is the tick. */
    private static volatile byte[][] records;
    private static volatile long[] times;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int chains = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path savepoints = Files.createTempDirectory("fleet-state");
        Result r;
        try {
            r = measure(hosts, chains, savepoints);
        } finally {
            try (Stream<Path> files = Files.walk(savepoints)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        System.out.printf("{\"name\":\"fleet_state\",\"hosts\":%d,\"partial_chains\":%d,\"state_backend\":\"%s\","
                        + "\"savepoint_empty\":%d,\"savepoint_held\":%d,\"savepoint_after\":%d,"
                        + "\"state_held\":%d,\"state_after\":%d,\"state_held_per_chain\":%.0f,"
                        + "\"chain_record_bytes\":%d,\"heap_before_job\":%d,\"heap_empty\":%d,\"heap_held\":%d,"
                        + "\"heap_after\":%d,\"heap_held_per_chain\":%.0f,\"heap_after_minus_empty\":%d,"
                        + "\"alerts\":\"%s\",\"late\":%d}%n",
                r.hosts(), r.chains(), r.stateBackend(), r.savepointEmpty(), r.savepointHeld(), r.savepointAfter(),
                r.stateHeld(), r.stateAfter(), r.stateHeld() / (double) chains, r.chainRecordBytes(), r.heapBeforeJob(),
                r.heapEmpty(), r.heapHeld(), r.heapAfter(), (r.heapHeld() - r.heapEmpty()) / (double) chains,
                r.heapAfter() - r.heapEmpty(), r.alerts(), r.late());
    }

    /** Runs the measurement; fails unless every partial chain was held and matched its connection. */
    public static Result measure(int hosts, int chains, Path savepoints) throws Exception {
        if (chains < 1 || chains >= hosts) throw new IllegalArgumentException("need 1 <= chains < hosts");
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules/wer"))), MatchContext.empty());
        long chainRecordBytes = layOut(hosts, chains, 0);
        COUNTS.clear();
        StateFootprint.closeGate();

        StreamExecutionEnvironment env = environment(savepoints, new Configuration());
        SigmaCepJob.Outputs outputs = wire(env, rules);
        outputs.alerts().map(Alert::ruleName).returns(String.class).sinkTo(new Counting());
        outputs.late().map(late -> "late").returns(String.class).sinkTo(new Counting());
        outputs.deadLetters().map(dead -> "dead-letter").returns(String.class).sinkTo(new Counting());
        String backend = env.getConfiguration().get(StateBackendOptions.STATE_BACKEND);

        long heapBeforeJob = StateFootprint.heapAfterFullGc();
        JobClient job = env.executeAsync("fleet state footprint");
        StateFootprint.emitUpTo(job, 0);
        long savepointEmpty = StateFootprint.savepoint(job, savepoints.resolve("empty"));
        long heapEmpty = StateFootprint.heapAfterFullGc();
        StateFootprint.emitUpTo(job, records.length - 1);
        long savepointHeld = StateFootprint.savepoint(job, savepoints.resolve("held"));
        long heapHeld = StateFootprint.heapAfterFullGc();
        StateFootprint.emitUpTo(job, records.length); // the tick: its watermark passes every timespan
        long savepointAfter = StateFootprint.savepoint(job, savepoints.resolve("after"));
        long heapAfter = StateFootprint.heapAfterFullGc();
        StateFootprint.emitUpTo(job, Long.MAX_VALUE);
        job.getJobExecutionResult().get();
        records = null;
        times = null;

        Map<String, Long> alerts = new java.util.TreeMap<>();
        COUNTS.forEach((name, count) -> alerts.put(name, count.get()));
        long netconn = alerts.getOrDefault("wer_masquerade_netconn", 0L);
        if (netconn != chains || alerts.containsKey("wer_masquerade_chain") || alerts.containsKey("dead-letter")) {
            throw new IllegalStateException("expected " + chains + " wer_masquerade_netconn alerts, no chain alert and"
                    + " no dead letter, got " + alerts);
        }
        long late = alerts.getOrDefault("late", 0L);
        alerts.remove("late");
        return new Result(hosts, chains, backend, chainRecordBytes, savepointEmpty, savepointHeld, savepointAfter,
                heapBeforeJob, heapEmpty, heapHeld, heapAfter, alerts, late);
    }

    /**
     * The alerts of the whole job on a fleet of {@code hosts} hosts, {@code chains} of them with a complete
     * {@code wer_masquerade_chain} (its child shell within 10 minutes), as JSON lines in the order they came; the job
     * runs with {@code flinkConfig} (e.g. {@code state.backend.type}). With {@code stopAt} the job runs up to that
     * record, is stopped after a savepoint in the backend's native format (for RocksDB its SST files) into
     * {@code dir/savepoints}, and a new job restored from it reads the rest.
     */
    public static List<String> alerts(int hosts, int chains, Configuration flinkConfig, Integer stopAt, Path dir)
            throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules/wer"))), MatchContext.empty());
        layOut(hosts, chains, 1);
        List<String> alerts = java.util.Collections.synchronizedList(new ArrayList<>());
        COLLECTED.set(alerts);
        StateFootprint.closeGate();
        JobClient job = collecting(environment(dir, flinkConfig), rules).executeAsync("fleet");
        if (stopAt != null) {
            StateFootprint.emitUpTo(job, stopAt);
            String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    org.apache.flink.core.execution.SavepointFormatType.NATIVE).get();
            job.getJobExecutionResult().get();
            Configuration restore = new Configuration(flinkConfig);
            restore.setString("execution.state-recovery.path", savepoint);
            StateFootprint.closeGate();
            job = collecting(environment(dir, restore), rules).executeAsync("fleet, restored");
        }
        StateFootprint.emitUpTo(job, Long.MAX_VALUE);
        job.getJobExecutionResult().get();
        records = null;
        times = null;
        return List.copyOf(alerts);
    }

    private static final java.util.concurrent.atomic.AtomicReference<List<String>> COLLECTED =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static StreamExecutionEnvironment collecting(StreamExecutionEnvironment env, RuleSet rules) {
        wire(env, rules).alerts().map(alert -> new String(dev.sigmacep.alert.AlertJson.toJson(alert),
                        StandardCharsets.UTF_8)).returns(String.class).uid("alert-json")
                .sinkTo(new Collecting()).uid("alerts");
        return env;
    }

    /** Parallelism 1, STREAMING, checkpoints and savepoints into files under {@code dir}, then {@code config}. */
    private static StreamExecutionEnvironment environment(Path dir, Configuration config) {
        StreamExecutionEnvironment env = ChainBenchmark.environment();
        Configuration storage = new Configuration();
        storage.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        storage.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        env.configure(storage);
        env.configure(config);
        return env;
    }

    /** The laid-out records, gated, decoded in the job, into the job's graph. */
    private static SigmaCepJob.Outputs wire(StreamExecutionEnvironment env, RuleSet rules) {
        var decoded = env.fromSource(new StateFootprint.GatedSequence(records.length), WatermarkStrategy.noWatermarks(),
                        "fleet records").uid("records")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forGenerator(context -> new ExactWatermarks())
                        .withTimestampAssigner((i, ts) -> times[(int) (long) i])).uid("event-time")
                .map(new Decode()).returns(TypeInformation.of(DecodeResult.class)).uid("decode");
        return new SigmaCepJob(JobSettings.defaults(), rules).wire(decoded);
    }

    /**
     * The chains' records (a generated fleet of {@code chains} hosts without child shells) merged in time order with
     * one ordinary record per other host, spread over the same minutes; then the tick. Returns the chain records' size.
     */
    private static long layOut(int hosts, int chains, double childShare) {
        List<TelemetryGenerator.Record> chainRecords = new ArrayList<>(3 * chains);
        new TelemetryGenerator(new TelemetryGenerator.Settings(chains, Math.round((2 + childShare) * chains), childShare,
                Duration.ZERO, 7, START,
                SPREAD))
                .forEach(chainRecords::add);
        int benign = hosts - chains;
        long first = START.toEpochMilli();
        long last = chainRecords.get(chainRecords.size() - 1).timeMillis();
        byte[][] all = new byte[chainRecords.size() + benign + 1][];
        long[] at = new long[all.length];
        long bytes = 0;
        int c = 0;
        int b = 0;
        for (int i = 0; i < all.length - 1; i++) {
            long benignTime = first + (last - first) * b / benign;
            if (b == benign || c < chainRecords.size() && chainRecords.get(c).timeMillis() <= benignTime) {
                TelemetryGenerator.Record record = chainRecords.get(c++);
                at[i] = record.timeMillis();
                all[i] = record.json().getBytes(StandardCharsets.UTF_8);
                bytes += all[i].length;
            } else {
                at[i] = benignTime;
                all[i] = BackgroundRecords.record(String.format("SRV-%07d", b), chains + b, benignTime)
                        .getBytes(StandardCharsets.UTF_8);
                b++;
            }
        }
        int tick = all.length - 1;
        at[tick] = last + Duration.ofDays(1).toMillis();
        all[tick] = BackgroundRecords.svchostStart("TICK", hosts, at[tick]).getBytes(StandardCharsets.UTF_8);
        records = all;
        times = at;
        return bytes;
    }

    /** Decodes a record as the job's sources do. */
    private static final class Decode implements MapFunction<Long, DecodeResult> {
        private transient EventDecoder decoder;

        @Override
        public DecodeResult map(Long index) {
            if (decoder == null) decoder = new EventDecoder();
            byte[] utf8 = records[(int) (long) index];
            return decoder.decodeUtf8(utf8, 0, utf8.length);
        }
    }

    /** As {@code StateFootprint}'s: the watermark reaches a record's time as soon as no later record shares it. */
    private static final class ExactWatermarks implements WatermarkGenerator<Long> {
        @Override
        public void onEvent(Long index, long timestamp, WatermarkOutput output) {
            boolean lastAtThisTime = index + 1 == times.length || times[(int) (index + 1)] > timestamp;
            output.emitWatermark(new Watermark(lastAtThisTime ? timestamp : timestamp - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
        }
    }

    /** Keeps what reaches it, in this JVM. */
    private static final class Collecting implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            List<String> into = COLLECTED.get();
            return new SinkWriter<>() {
                @Override
                public void write(String json, Context context) {
                    into.add(json);
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Counts what reaches it by name, in this JVM. */
    private static final class Counting implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String name, Context context) {
                    COUNTS.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
