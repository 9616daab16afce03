package dev.sigmacep.bench;

import dev.sigmacep.correlate.CorrelationAlertFunction;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationEventOrder;
import dev.sigmacep.correlate.CorrelationPatterns;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.detect.CorrelationRouter;
import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.cep.CEP;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.NumberSequenceIterator;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code state_bytes_per_partial_chain} and {@code heap_bytes_per_host}: what our correlation stage keeps per host
 * while a {@code wer_masquerade_chain} is open. The job is our correlation stage as {@code SigmaCepJob} wires it
 * (keyBy, Flink CEP with our pattern, event order and alert function; default state backend, hashmap, i.e. on the
 * heap) at parallelism 1, fed with generated fleet records decoded and routed with the project's rules beforehand.
 * <ol>
 *   <li>Every one of N hosts opens its chain: the no-argument WER start and, with {@code steps} 2 (the fleet
 *   profile's open chain, 9 in 10 hosts), its outbound connection. The source emits these, then waits without
 *   blocking its task, so savepoints go through. The watermark stands at the last of them, under 10 minutes after
 *   the first: within the 30-minute timespan, so every partial chain is held, none timed out.</li>
 *   <li>A savepoint, and the heap used after full GC; minus the same taken before, with the job running and
 *   holding nothing; divided by N.</li>
 *   <li>The source emits the remaining steps (child shells of the same processes, from a second generated fleet
 *   that starts later) and the job must give exactly N chain alerts: proof that N partial chains were held.</li>
 * </ol>
 * The fleet file of {@code bench/run} cannot serve: its chain starts spread over 50 minutes, so the first ones time
 * out before the last ones start. Run: {@code StateFootprint [HOSTS [STEPS]]} (defaults 200000, 2) with a heap
 * for the inputs and the state (about 15 KB a host: 8 GB for 200,000); prints one JSON line per figure.
 */
public final class StateFootprint {
    private static final String CHAIN = "wer_masquerade_chain";
    private static final Instant START = Instant.parse("2024-03-12T00:00:00Z");

    /**
     * Savepoint sizes and heap used after full GC, in bytes; {@code recordBytes}: the records the partial chains hold,
     * as read; {@code alerts}: chains completed after the measurement.
     */
    public record Result(int hosts, int steps, String stateBackend, long recordBytes, long savepointEmpty,
                         long savepointHeld, long heapBeforeJob, long heapEmpty, long heapHeld, long alerts) {
        public double stateBytesPerPartialChain() { return (savepointHeld - savepointEmpty) / (double) hosts; }

        public double heapBytesPerHost() { return (heapHeld - heapEmpty) / (double) hosts; }

        public double recordBytesPerChain() { return recordBytes / (double) hosts; }
    }

    /** The chain's inputs in emission order, shared with the job's source (same JVM): the open steps, then the rest. */
    private static volatile CorrelationEvent[] inputs;
    private static final AtomicLong EMITTED = new AtomicLong();
    private static final Object GATE = new Object();
    private static long bound;
    private static CompletableFuture<Void> opened;
    private static CompletableFuture<Void> reached;

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path savepoints = Files.createTempDirectory("state-footprint");
        Result r;
        try {
            r = measure(hosts, steps, savepoints);
        } finally {
            try (Stream<Path> files = Files.walk(savepoints)) { // the savepoints are as large as the state
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        String load = String.format("%,d hosts, each holding an open %s after its first %d step(s), whose records"
                + " average %,.0f bytes a chain; state backend %s, parallelism 1", hosts, CHAIN, steps,
                r.recordBytesPerChain(), r.stateBackend());
        System.out.printf("{\"name\":\"state_bytes_per_partial_chain\",\"value\":%.0f,\"hosts\":%d,\"steps\":%d,"
                        + "\"savepoint_bytes\":%d,\"empty_savepoint_bytes\":%d,\"note\":\"%s; a canonical savepoint of"
                        + " our correlation stage (keyBy + Flink CEP + alert function) minus that of the same job holding"
                        + " nothing, per partial chain; all %,d chains completed after the measurement\"}%n",
                r.stateBytesPerPartialChain(), hosts, steps, r.savepointHeld(), r.savepointEmpty(), load, r.alerts());
        System.out.printf("{\"name\":\"heap_bytes_per_host\",\"value\":%.0f,\"hosts\":%d,\"steps\":%d,"
                        + "\"heap_held\":%d,\"heap_job_empty\":%d,\"heap_before_job\":%d,\"note\":\"%s; JVM heap used"
                        + " after full GC while the job holds the state minus the same with the job running and holding"
                        + " nothing, per host; the job's fixed cost (mini cluster included) is heap_job_empty -"
                        + " heap_before_job\"}%n",
                r.heapBytesPerHost(), hosts, steps, r.heapHeld(), r.heapEmpty(), r.heapBeforeJob(), load);
    }

    /** Runs the measurement; fails unless all {@code hosts} partial chains were held (each later completes). */
    public static Result measure(int hosts, int steps, Path savepoints) throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules/wer"))), MatchContext.empty());
        DetectionModel model = rules.model();
        int chain = chainPlan(model);
        CorrelationPlan plan = model.plans().get(chain);
        if (steps < 1 || steps >= plan.roleCount()) {
            throw new IllegalArgumentException("steps must be 1.." + (plan.roleCount() - 1) + ", got " + steps);
        }
        // chains start within 10 minutes; their remaining steps come from a fleet of the same hosts and processes
        // 11 minutes later (children within 10 minutes of their connections): each chain within the 30-minute timespan
        List<CorrelationEvent> open = route(new TelemetryGenerator(new TelemetryGenerator.Settings(hosts, 2L * hosts,
                0, Duration.ZERO, 7, START, Duration.ofMinutes(20))), model, chain, 0, steps);
        List<CorrelationEvent> rest = route(new TelemetryGenerator(new TelemetryGenerator.Settings(hosts, 3L * hosts,
                1, Duration.ZERO, 8, START.plus(Duration.ofMinutes(11)), Duration.ofMinutes(15))), model, chain, steps,
                plan.roleCount());
        check(open, (long) hosts * steps, rest, (long) hosts * (plan.roleCount() - steps), plan.timespan());
        long recordBytes = open.stream().flatMap(input -> input.records().stream()).mapToLong(record -> record.length).sum();
        List<CorrelationEvent> all = new ArrayList<>(open);
        all.addAll(rest);
        inputs = all.toArray(new CorrelationEvent[0]);
        closeGate();
        ChainBenchmark.ALERTS.set(0);

        StreamExecutionEnvironment env = ChainBenchmark.environment();
        // savepoints into files: the default storage (the JobManager's memory) refuses state above 5 MB
        Configuration storage = new Configuration();
        storage.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        storage.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, savepoints.resolve("checkpoints").toUri().toString());
        env.configure(storage);
        var events = env.fromSource(new GatedSequence(inputs.length), WatermarkStrategy.noWatermarks(), "chain inputs")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forGenerator(context -> new ExactWatermarks())
                        .withTimestampAssigner((i, ts) -> millis(i)))
                .map(i -> inputs[(int) (long) i]).returns(TypeInformation.of(CorrelationEvent.class));
        CEP.pattern(events.keyBy(CorrelationEvent::key), CorrelationPatterns.compile(plan), new CorrelationEventOrder())
                .inEventTime()
                .process(new CorrelationAlertFunction(plan))
                .sinkTo(new ChainBenchmark.CountingSink());
        String backend = env.getConfiguration().get(StateBackendOptions.STATE_BACKEND);

        long heapBeforeJob = heapAfterFullGc();
        JobClient job = env.executeAsync("state footprint");
        emitUpTo(job, 0);
        long savepointEmpty = savepoint(job, savepoints.resolve("empty"));
        long heapEmpty = heapAfterFullGc();
        emitUpTo(job, (long) hosts * steps);
        long savepointHeld = savepoint(job, savepoints.resolve("held"));
        long heapHeld = heapAfterFullGc();
        emitUpTo(job, Long.MAX_VALUE);
        job.getJobExecutionResult().get();
        inputs = null;
        long alerts = ChainBenchmark.ALERTS.get();
        if (alerts != hosts) {
            throw new IllegalStateException("expected " + hosts + " held partial chains to complete, got " + alerts + " alerts");
        }
        return new Result(hosts, steps, backend, recordBytes, savepointEmpty, savepointHeld, heapBeforeJob, heapEmpty, heapHeld, alerts);
    }

    private static int chainPlan(DetectionModel model) {
        for (int i = 0; i < model.plans().size(); i++) {
            if (CHAIN.equals(model.plans().get(i).rule().name())) return i;
        }
        throw new IllegalStateException(CHAIN + " not found in rules/wer");
    }

    /** Decodes and routes generated records as the job's detect operator does; keeps the chain's inputs of steps [from, to). */
    private static List<CorrelationEvent> route(TelemetryGenerator generator, DetectionModel model, int chain,
                                                int from, int to) {
        EventDecoder decoder = new EventDecoder();
        CorrelationRouter router = new CorrelationRouter(model);
        int[] matched = new int[model.compiled().size()];
        List<CorrelationEvent> kept = new ArrayList<>();
        generator.forEach(record -> {
            byte[] utf8 = record.json().getBytes(StandardCharsets.UTF_8);
            Event event = decoder.decodeUtf8(utf8, 0, utf8.length).event();
            int[] count = {0};
            model.compiled().match(event, rule -> matched[count[0]++] = rule);
            router.route(event, matched, count[0], (plan, input) -> {
                int step = Integer.numberOfTrailingZeros(input.roles());
                if (plan == chain && step >= from && step < to) kept.add(input);
            });
        });
        return kept;
    }

    /** The inputs are what the measurement assumes: counts, time order, no chain longer than the timespan. */
    private static void check(List<CorrelationEvent> open, long openCount, List<CorrelationEvent> rest, long restCount,
                              Duration timespan) {
        if (open.size() != openCount || rest.size() != restCount) {
            throw new IllegalStateException("expected " + openCount + " + " + restCount + " chain inputs, routed "
                    + open.size() + " + " + rest.size());
        }
        long previous = Long.MIN_VALUE;
        for (List<CorrelationEvent> phase : List.of(open, rest)) {
            for (CorrelationEvent input : phase) {
                if (input.timeMicros() < previous) throw new IllegalStateException("inputs out of time order");
                previous = input.timeMicros();
            }
        }
        if (rest.get(0).timeMicros() <= open.get(open.size() - 1).timeMicros()
                || previous - open.get(0).timeMicros() >= timespan.toNanos() / 1000) {
            throw new IllegalStateException("the completing steps must come after the open ones and within the timespan");
        }
    }

    /** Before a job starts: its {@link GatedSequence} emits nothing until {@link #emitUpTo} lets it. */
    static void closeGate() {
        EMITTED.set(0);
        synchronized (GATE) {
            bound = 0;
            opened = new CompletableFuture<>();
            reached = new CompletableFuture<>();
        }
    }

    /** Lets the source emit inputs below {@code upTo}; returns once it has and waits at the gate. */
    static void emitUpTo(JobClient job, long upTo) throws Exception {
        CompletableFuture<Void> previous;
        CompletableFuture<Void> waiting;
        synchronized (GATE) {
            previous = opened;
            opened = new CompletableFuture<>();
            waiting = reached = new CompletableFuture<>();
            bound = upTo;
        }
        previous.complete(null);
        if (upTo < Long.MAX_VALUE) {
            CompletableFuture.anyOf(waiting, job.getJobExecutionResult()).get(); // a failed job fails here
            if (!waiting.isDone()) throw new IllegalStateException("the job ended before its source reached " + upTo);
        }
    }

    /** Asked by the source reader before each input, on its task thread: go on below the bound, else wait. */
    private static CompletableFuture<Void> acquire() {
        synchronized (GATE) {
            if (EMITTED.get() < bound) return CompletableFuture.completedFuture(null);
            reached.complete(null);
            return opened;
        }
    }

    /** The size of a savepoint of the running job, all its files; retried while its tasks are still starting. */
    static long savepoint(JobClient job, Path dir) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                job.triggerSavepoint(dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
                break;
            } catch (ExecutionException e) {
                boolean starting = ExceptionUtils.findThrowable(e, CheckpointException.class)
                        .filter(c -> c.getCheckpointFailureReason() == CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING)
                        .isPresent();
                if (!starting || attempt == 60) throw e;
                Thread.sleep(500);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    static long heapAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * 0..n-1, asking the gate before each number and waiting for it without blocking the task thread (a source that
     * blocked would hold up savepoint barriers too).
     */
    static final class GatedSequence extends NumberSequenceSource {
        GatedSequence(long count) {
            super(0, count - 1);
        }

        @Override
        public SourceReader<Long, NumberSequenceSplit> createReader(SourceReaderContext context) {
            var reader = new IteratorSourceReader<Long, NumberSequenceIterator, NumberSequenceSplit>(context) {
                @Override
                protected Long convert(Long index) {
                    EMITTED.set(index + 1);
                    return index;
                }
            };
            return new RateLimitedSourceReader<>(reader, permits -> acquire());
        }
    }

    private static long millis(long index) {
        return Math.floorDiv(inputs[(int) index].timeMicros(), 1000);
    }

    /**
     * The inputs are known and in time order, so the watermark can be exact: it reaches an input's time as soon as no
     * later input shares it (CEP drops an input at or below the watermark). At the gate it covers every input emitted,
     * so CEP has moved them all into its partial matches before the savepoint barrier that follows.
     */
    static final class ExactWatermarks implements WatermarkGenerator<Long> {
        @Override
        public void onEvent(Long index, long timestamp, WatermarkOutput output) {
            boolean lastAtThisTime = index + 1 == inputs.length || millis(index + 1) > timestamp;
            output.emitWatermark(new Watermark(lastAtThisTime ? timestamp : timestamp - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
        }
    }
}
