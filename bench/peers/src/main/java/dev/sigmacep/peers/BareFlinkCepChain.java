package dev.sigmacep.peers;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A minimal Flink CEP job: source, (filter,) keyBy(key), {@code begin(a, skipPastLastEvent).followedBy(b)
 * .followedBy(c).within(30 min)} in event time, a counting sink; parallelism 1, heap state.
 */
final class BareFlinkCepChain implements Peer {
    private final boolean prefilter;
    private final Duration outOfOrderness;
    private FlinkLocal flink;

    BareFlinkCepChain(boolean prefilter, Duration outOfOrderness) {
        this.prefilter = prefilter;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public String name() {
        return "bare_flinkcep_chain";
    }

    static Pattern<ChainEvent, ?> pattern() {
        return Pattern.<ChainEvent>begin("a", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(new IsKind(ChainEvent.START)))
                .followedBy("b").where(SimpleCondition.of(new IsKind(ChainEvent.CONNECT)))
                .followedBy("c").where(SimpleCondition.of(new IsKind(ChainEvent.CHILD)))
                .within(Chain.WINDOW);
    }

    @Override
    public void open() throws Exception {
        flink = new FlinkLocal();
    }

    @Override
    public Run run(ChainEvent[] events) throws Exception {
        StreamExecutionEnvironment env = FlinkLocal.environment();
        DataStream<ChainEvent> stream = FlinkLocal.source(env, events, outOfOrderness);
        if (prefilter) stream = stream.filter(new Relevant()).name("drop background");
        CEP.pattern(stream.keyBy(new ByKey()), pattern())
                .inEventTime()
                .process(new CountMatch()).name("cep chain")
                .sinkTo(new FlinkLocal.CountingSink<>()).name("count");
        double seconds = flink.execute(env, name());
        return new Run(FlinkLocal.MATCHES.get(), seconds);
    }

    @Override
    public String note() {
        return "Flink 2.2.0 CEP on a local mini cluster, parallelism 1, heap state; event time, bounded "
                + "out-of-orderness " + outOfOrderness.toMillis() + " ms (periodic watermarks, 200 ms); "
                + (prefilter ? "background dropped by a filter before keyBy" : "background fed to CEP (its conditions drop it)")
                + "; timed: JobGraph submission to job result (mini cluster started and warmed up before, graph built before)";
    }

    @Override
    public void close() throws Exception {
        if (flink != null) flink.close();
    }

    static final class IsKind implements FilterFunction<ChainEvent> {
        private final int kind;

        IsKind(int kind) {
            this.kind = kind;
        }

        @Override
        public boolean filter(ChainEvent event) {
            return event.kind == kind;
        }
    }

    static final class Relevant implements FilterFunction<ChainEvent> {
        @Override
        public boolean filter(ChainEvent event) {
            return event.kind != ChainEvent.NONE;
        }
    }

    static final class ByKey implements KeySelector<ChainEvent, String> {
        @Override
        public String getKey(ChainEvent event) {
            return event.key;
        }
    }

    static final class CountMatch extends PatternProcessFunction<ChainEvent, Long> {
        @Override
        public void processMatch(Map<String, List<ChainEvent>> match, Context ctx, Collector<Long> out) {
            out.collect(match.get("c").get(0).seq);
        }
    }
}
