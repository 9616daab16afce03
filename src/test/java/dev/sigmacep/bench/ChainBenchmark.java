package dev.sigmacep.bench;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.EventTimeCepOperator;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.detect.CorrelationRouter;
import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cep_chain_eps}: our correlation stage alone on the WER chain, on one core (parallelism 1, STREAMING, event
 * time): keyBy and the job's streaming sequence operator ({@link EventTimeCepOperator}: Flink CEP's NFA with our
 * pattern, event order and alerts), over inputs detected and routed before timing, as the peers classify their events
 * before timing.
 * {@code detect_cep_chain_eps}: the same with detection and routing timed too: everything the job runs after
 * decoding. The rules are the project's {@code wer_noargs_start}, {@code wer_outbound_connection},
 * {@code wer_child_shell} and {@code wer_masquerade_chain}, the last without {@code generate}, so only chain alerts
 * come out, as from the peers.
 * <p>Run: {@code ChainBenchmark FILE.ndjson} (from {@code bin/sigma-cep generate}). Prints one JSON line per figure;
 * the timed figure is the job's net runtime (mini cluster start excluded), after one warm-up run on the same events.
 * {@code -Dflink.<option>=<value>} sets any Flink option (say {@code -Dflink.state.backend.type=rocksdb}), and
 * {@code -Dbench.stage-only=true} measures {@code cep_chain} alone.
 */
public final class ChainBenchmark {
    private static final Set<String> CHAIN_RULES = Set.of("wer_noargs_start.yml", "wer_outbound_connection.yml",
            "wer_child_shell.yml", "wer_masquerade_chain.yml");

    /** Shared with the job's source, which runs in this JVM. */
    static volatile Event[] events;
    /** Per event, its input to the chain correlation, or null: detect and routing done before timing. */
    static volatile CorrelationEvent[] routed;
    static final AtomicLong ALERTS = new AtomicLong();
    private static final OutputTag<CorrelationEvent> LATE =
            new OutputTag<>("late", TypeInformation.of(CorrelationEvent.class));

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        List<Event> decoded = new ArrayList<>();
        long[] dead = {0};
        TelemetryStreams.decode(input, 1 << 20, result -> {
            if (result.event() != null) decoded.add(result.event());
            else dead[0]++;
        });
        events = decoded.toArray(new Event[0]);
        RuleSet rules = new RuleSet(chainRules(), MatchContext.empty());
        routed = route(rules.model());
        measure("cep_chain", () -> runRouted(rules.model().plans().get(0)),
                "our correlation stage on inputs detected and routed before timing (as the peers classify theirs):"
                        + " keyBy + our sequence operator (Flink CEP's NFA, inputs waiting in one time-ordered queue, each host's partial matches as heap objects between snapshots) + alerts, parallelism 1, STREAMING");
        if (Boolean.getBoolean("bench.stage-only")) {
            return; // -Dbench.stage-only=true: the correlation stage alone, to compare state settings side by side
        }
        measure("detect_cep_chain", () -> run(rules),
                "our detect (Sigma rules) + routing + keyBy + Flink CEP + alert function, parallelism 1, STREAMING");
    }

    interface Job {
        JobExecutionResult run() throws Exception;
    }

    /** One warm-up run, so the JIT has seen the code paths, then the timed run; prints one JSON line. */
    private static void measure(String name, Job job, String what) throws Exception {
        ALERTS.set(0);
        job.run();
        long warmUp = ALERTS.getAndSet(0);
        JobExecutionResult result = job.run();
        double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        long matches = ALERTS.get();
        if (matches != warmUp) {
            throw new IllegalStateException(name + ": warm-up found " + warmUp + " chains, timed run " + matches);
        }
        System.out.printf("{\"name\":\"%s\",\"events\":%d,\"matches\":%d,\"seconds\":%.3f,\"eps\":%.1f,"
                        + "\"note\":\"%s; net job runtime after a warm-up run\"}%n",
                name, events.length, matches, seconds, events.length / seconds, what);
    }

    private static CorrelationEvent[] route(DetectionModel model) {
        CorrelationEvent[] inputs = new CorrelationEvent[events.length];
        CorrelationRouter router = new CorrelationRouter(model);
        int[] matched = new int[model.compiled().size()];
        for (int i = 0; i < events.length; i++) {
            int[] count = {0};
            model.compiled().match(events[i], rule -> matched[count[0]++] = rule);
            int index = i;
            router.route(events[i], matched, count[0], (plan, input) -> {
                if (inputs[index] != null) {
                    throw new IllegalStateException("event " + index + " feeds the chain twice; this benchmark holds one input per event");
                }
                inputs[index] = input;
            });
        }
        return inputs;
    }

    private static JobExecutionResult runRouted(CorrelationPlan plan) throws Exception {
        StreamExecutionEnvironment env = environment();
        var inputs = env.fromSource(new NumberSequenceSource(0, events.length - 1), WatermarkStrategy.noWatermarks(),
                        "routed inputs")
                .flatMap((Long i, Collector<CorrelationEvent> out) -> {
                    CorrelationEvent input = routed[(int) (long) i];
                    if (input != null) out.collect(input);
                }).returns(TypeInformation.of(CorrelationEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<CorrelationEvent>forBoundedOutOfOrderness(JobSettings.defaults().eventTime().maxOutOfOrderness())
                        .withTimestampAssigner((input, ts) -> Math.floorDiv(input.timeMicros(), 1000)));
        var groups = inputs.keyBy(CorrelationEvent::key);
        groups.transform("correlate", TypeInformation.of(Alert.class), new EventTimeCepOperator(plan,
                        groups.getType().createSerializer(env.getConfig().getSerializerConfig()), LATE))
                .sinkTo(new CountingSink());
        return env.execute("cep_chain");
    }

    static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        SigmaCepJob.configure(env);
        // -Dbench.watermark-interval-ms=N: how often watermarks advance, which is how often Flink CEP revisits every
        // key holding a partial match
        Configuration config = new Configuration();
        Long interval = Long.getLong("bench.watermark-interval-ms");
        if (interval != null) {
            config.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, java.time.Duration.ofMillis(interval));
        }
        // -Dflink.<option>=<value>: any Flink option, to try settings side by side
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("flink.")) config.setString(key.toString().substring("flink.".length()), value.toString());
        });
        env.configure(config);
        return env;
    }

    static List<RuleSource> chainRules() throws Exception {
        List<RuleSource> sources = new ArrayList<>();
        for (RuleSource source : RuleLoader.readSources(List.of(Path.of("rules/wer")))) {
            if (CHAIN_RULES.contains(Path.of(source.path()).getFileName().toString())) {
                sources.add(new RuleSource(source.path(), source.text().replace("generate: true", "generate: false")));
            }
        }
        if (sources.size() != CHAIN_RULES.size()) {
            throw new IllegalStateException("expected the rules " + CHAIN_RULES + " in rules/wer, found " + sources);
        }
        return sources;
    }

    private static JobExecutionResult run(RuleSet rules) throws Exception {
        StreamExecutionEnvironment env = environment();
        JobSettings settings = JobSettings.defaults();
        var decoded = env.fromSource(new NumberSequenceSource(0, events.length - 1), WatermarkStrategy.noWatermarks(),
                        "decoded events")
                .map(i -> DecodeResult.ok(events[(int) (long) i])).returns(TypeInformation.of(DecodeResult.class))
                .assignTimestampsAndWatermarks(SigmaCepJob.watermarks(settings.eventTime()));
        new SigmaCepJob(settings, rules).wire(decoded).alerts().sinkTo(new CountingSink());
        return env.execute("cep_chain");
    }

    /** Counts alerts in this JVM. */
    static final class CountingSink implements Sink<Alert> {
        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context context) {
                    ALERTS.incrementAndGet();
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
