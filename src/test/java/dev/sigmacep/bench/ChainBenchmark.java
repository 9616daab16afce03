package dev.sigmacep.bench;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.RuleLoader;
import dev.sigmacep.sigma.RuleSource;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cep_chain_eps}: our correlation stage alone on the WER chain, over events decoded beforehand, on one core
 * (parallelism 1, STREAMING, event time). The stage is what the job runs after decoding: detect (the chain's three
 * detection rules), routing into the correlation, keyBy, Flink CEP, the alert function. The rules are the
 * project's {@code wer_noargs_start}, {@code wer_outbound_connection}, {@code wer_child_shell} and
 * {@code wer_masquerade_chain}, the last without {@code generate}, so only chain alerts come out, as from the peers.
 * <p>Run: {@code ChainBenchmark FILE.ndjson} (from {@code bin/sigma-cep generate}). Prints one JSON line; the timed
 * figure is the job's net runtime (mini cluster start excluded), after one warm-up run on the same events.
 */
public final class ChainBenchmark {
    private static final Set<String> CHAIN_RULES = Set.of("wer_noargs_start.yml", "wer_outbound_connection.yml",
            "wer_child_shell.yml", "wer_masquerade_chain.yml");

    /** Shared with the job's source, which runs in this JVM. */
    static volatile Event[] events;
    static final AtomicLong ALERTS = new AtomicLong();

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
        run(rules); // warm-up: the JIT sees the same code paths before the timed run
        long alerts = ALERTS.getAndSet(0);
        ALERTS.set(0);
        JobExecutionResult result = run(rules);
        double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        long matches = ALERTS.get();
        if (matches != alerts) {
            throw new IllegalStateException("warm-up found " + alerts + " chains, timed run " + matches);
        }
        System.out.printf("{\"name\":\"cep_chain\",\"events\":%d,\"matches\":%d,\"seconds\":%.3f,\"eps\":%.1f,"
                        + "\"note\":\"our detect + route + keyBy + Flink CEP + alert function, parallelism 1, STREAMING;"
                        + " net job runtime after a warm-up run; %d undecodable records skipped\"}%n",
                events.length, matches, seconds, events.length / seconds, dead[0]);
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.valueOf(System.getProperty("bench.mode", "STREAMING")));
        if (System.getProperty("bench.watermark-interval") != null) {
            org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
            c.set(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL,
                    java.time.Duration.ofMillis(Long.getLong("bench.watermark-interval")));
            env.configure(c);
        }
        env.setParallelism(1);
        SigmaCepJob.configure(env);
        JobSettings settings = JobSettings.defaults();
        var decoded = env.fromSource(new NumberSequenceSource(0, events.length - 1), WatermarkStrategy.noWatermarks(),
                        "decoded events")
                .map(i -> DecodeResult.ok(events[(int) (long) i])).returns(TypeInformation.of(DecodeResult.class))
                .assignTimestampsAndWatermarks(SigmaCepJob.watermarks(settings));
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
