package dev.sigmacep.bench;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.AggregateCorrelationFunction;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.CorrelationPlanner;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code count_eps_<type>}: our counting and value correlations alone (keyBy + {@link AggregateCorrelationFunction}),
 * parallelism 1, STREAMING, event time, over correlation inputs built before timing: failed logons of
 * {@code GROUPS} accounts, 2 s apart on average, each with a source address from a few hundred (so
 * {@code event_count gte 10} and {@code value_count gte 5} per account within 5 minutes fire now and then). Prints one
 * JSON line per type: events/s (net job runtime after a warm-up run) and the alerts, which must match between the
 * runs. Run: {@code CountingBenchmark [EVENTS [GROUPS]]} (defaults 420000, 1000).
 */
public final class CountingBenchmark {
    static volatile CorrelationEvent[] inputs;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 420_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        inputs = inputs(events, groups);
        for (String correlation : List.of(
                "type: event_count\n    rules: [failed]\n    group-by: [User]\n    timespan: 5m\n    condition: {gte: 10}",
                "type: value_count\n    rules: [failed]\n    group-by: [User]\n    timespan: 5m\n"
                        + "    condition: {field: IpAddress, gte: 5}",
                "type: value_avg\n    rules: [failed]\n    group-by: [User]\n    timespan: 5m\n"
                        + "    condition: {field: LogonType, gt: 9}")) {
            CorrelationPlan plan = plan(correlation);
            String name = "count_eps_" + plan.type();
            ChainBenchmark.ALERTS.set(0);
            run(plan);
            long warmUp = ChainBenchmark.ALERTS.getAndSet(0);
            JobExecutionResult result = run(plan);
            double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
            if (ChainBenchmark.ALERTS.get() != warmUp) {
                throw new IllegalStateException(name + ": warm-up " + warmUp + " alerts, timed " + ChainBenchmark.ALERTS.get());
            }
            System.out.printf("{\"name\":\"%s\",\"events\":%d,\"groups\":%d,\"alerts\":%d,\"seconds\":%.3f,"
                            + "\"eps\":%.1f,\"note\":\"keyBy + AggregateCorrelationFunction, parallelism 1, STREAMING;"
                            + " net job runtime after a warm-up run\"}%n",
                    name, events, groups, warmUp, seconds, events / seconds);
            stateBytes(plan, groups);
        }
    }

    /**
     * The correlation's keyed state at the end of the input, before the last spans close: the same operator in a test
     * harness, watermarks every 1,000 inputs as the job's bound would set them, then a snapshot; its size per group.
     * It holds the windows and the inputs waiting for the watermark (records included).
     */
    private static void stateBytes(CorrelationPlan plan, int groups) throws Exception {
        int value = valueIndex(plan);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new AggregateCorrelationFunction(plan, new OutputTag<>("late", TypeInformation.of(CorrelationEvent.class)))),
                CorrelationEvent::key, Types.STRING)) {
            harness.open();
            for (int i = 0; i < inputs.length; i++) {
                CorrelationEvent input = valued(inputs[i], value);
                long millis = Math.floorDiv(input.timeMicros(), 1000);
                harness.processElement(new StreamRecord<>(input, millis));
                if (i % 1000 == 999) {
                    harness.processWatermark(millis - Duration.ofMinutes(2).toMillis());
                }
            }
            long bytes = 0;
            for (KeyedStateHandle handle : harness.snapshot(1, 1).getManagedKeyedState()) {
                bytes += handle.getStateSize();
            }
            System.out.printf("{\"name\":\"count_state_bytes_per_group_%s\",\"value\":%.1f,\"groups\":%d,\"state_bytes\":%d,"
                            + "\"note\":\"snapshot of the operator's keyed state at the end of the input (harness, watermark"
                            + " 2 min behind), per group\"}%n", plan.type(), (double) bytes / groups, groups, bytes);
        }
    }

    /** Which value of the inputs the type measures: the address for value_count, the logon type for value_avg. */
    private static int valueIndex(CorrelationPlan plan) {
        return switch (plan.type()) {
            case VALUE_COUNT -> 0;
            case VALUE_AVG -> 1;
            default -> -1;
        };
    }

    /** The input with only the value its type measures (the address for value_count, the logon type for value_avg). */
    private static CorrelationEvent valued(CorrelationEvent input, int value) {
        return new CorrelationEvent(input.groupValues(), input.roles(), input.host(), input.timeMicros(),
                value < 0 ? List.of() : List.of(input.values().get(value)), input.records());
    }

    private static CorrelationPlan plan(String correlation) {
        String rules = """
                title: failed
                name: failed
                logsource: {product: windows, service: security}
                detection: {sel: {EventID: 4625}, condition: sel}
                ---
                title: counted
                id: 6c0a0000-0000-4000-8000-000000000001
                correlation:
                    %s
                """.formatted(correlation);
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(new RuleSource("bench.yml", rules)));
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), pack.correlations())
                .plan(pack.correlations());
        if (!result.errors().isEmpty() || !pack.errors().isEmpty()) {
            throw new IllegalStateException(pack.errors() + " " + result.errors());
        }
        return result.plans().get(0);
    }

    /** Seeded failed logons in time order: an account and an address each, 2 s apart per account on average. */
    private static CorrelationEvent[] inputs(int events, int groups) {
        Random random = new Random(7);
        CorrelationEvent[] built = new CorrelationEvent[events];
        long micros = 1_700_000_000_000_000L;
        long step = Math.max(1, 2_000_000L / groups); // ~2 s between an account's events
        for (int i = 0; i < events; i++) {
            micros += step;
            String user = "user-" + random.nextInt(groups);
            String address = "10.0." + random.nextInt(3) + "." + random.nextInt(100);
            String logonType = String.valueOf(2 + random.nextInt(9));
            String raw = "{\"EventID\":4625,\"TargetUserName\":\"" + user + "\",\"IpAddress\":\"" + address + "\"}";
            Event event = new Event(Map.of("User", user), "DC01", micros, "bench", raw);
            built[i] = new CorrelationEvent(List.of(user), 1, List.of(address, logonType), event);
        }
        return built;
    }

    private static JobExecutionResult run(CorrelationPlan plan) throws Exception {
        StreamExecutionEnvironment env = ChainBenchmark.environment();
        // the inputs carry the address and the logon type: value_count counts addresses, value_avg averages types
        int value = valueIndex(plan);
        var stream = env.fromSource(new NumberSequenceSource(0, inputs.length - 1), WatermarkStrategy.noWatermarks(),
                        "correlation inputs")
                .map(i -> valued(inputs[(int) (long) i], value)).returns(TypeInformation.of(CorrelationEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<CorrelationEvent>forBoundedOutOfOrderness(Duration.ofMinutes(2))
                        .withTimestampAssigner((input, ts) -> Math.floorDiv(input.timeMicros(), 1000)));
        stream.keyBy(CorrelationEvent::key)
                .process(new AggregateCorrelationFunction(plan,
                        new OutputTag<>("late", TypeInformation.of(CorrelationEvent.class))))
                .returns(TypeInformation.of(Alert.class))
                .sinkTo(new ChainBenchmark.CountingSink());
        return env.execute("counting");
    }
}
