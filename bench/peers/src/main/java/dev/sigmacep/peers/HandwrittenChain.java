package dev.sigmacep.peers;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * The chain as a hand-written {@link KeyedProcessFunction}: per key a {@link ValueState} of two event times, and an
 * event-time timer at A + 30 min that clears what has expired. Same matches as Flink CEP's
 * {@code begin(A, skipPastLastEvent).followedBy(B).followedBy(C).within(30 min)}:
 * <ul>
 *   <li>each A starts a partial match; partial matches waiting for B all take the next B; those waiting for C all
 *       complete on the next C, if not expired. Of those, the newest A is the last to expire, so two times
 *       suffice: the newest A still waiting for B ({@code waiting}) and the newest A that has its B ({@code armed});</li>
 *   <li>C completes a match when {@code c.ts - armed < 30 min}; skip-past-last then drops every partial match of the
 *       key (all started before C): the state is cleared.</li>
 * </ul>
 * Processes events in arrival order, so it relies on time-ordered input (the peers sort it); Flink CEP sorts by
 * itself in event time.
 */
final class HandwrittenChain implements Peer {
    private final boolean prefilter;
    private final Duration outOfOrderness;
    private FlinkLocal flink;

    HandwrittenChain(boolean prefilter, Duration outOfOrderness) {
        this.prefilter = prefilter;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public String name() {
        return "handwritten_chain";
    }

    @Override
    public void open() throws Exception {
        flink = new FlinkLocal();
    }

    @Override
    public Run run(ChainEvent[] events) throws Exception {
        StreamExecutionEnvironment env = FlinkLocal.environment();
        DataStream<ChainEvent> stream = FlinkLocal.source(env, events, outOfOrderness);
        if (prefilter) stream = stream.filter(new BareFlinkCepChain.Relevant()).name("drop background");
        stream.keyBy(new BareFlinkCepChain.ByKey())
                .process(new ChainFunction()).name("hand-written chain")
                .sinkTo(new FlinkLocal.CountingSink<>()).name("count");
        double seconds = flink.execute(env, name());
        return new Run(FlinkLocal.MATCHES.get(), seconds);
    }

    @Override
    public String note() {
        return "Flink 2.2.0 KeyedProcessFunction on a local mini cluster, parallelism 1, heap state (ValueState of "
                + "2 longs per key, event-time timer at A+30min clears it); watermarks as the CEP peer ("
                + outOfOrderness.toMillis() + " ms); "
                + (prefilter ? "background dropped by a filter before keyBy" : "background reaches the function (it drops it)")
                + "; timed: JobGraph submission to job result (mini cluster started and warmed up before)";
    }

    @Override
    public void close() throws Exception {
        if (flink != null) flink.close();
    }

    /** Per key: the newest A waiting for B and the newest A that has its B (event times; -1 for none). */
    public static final class PartialMatches {
        public long waiting = -1;
        public long armed = -1;

        public PartialMatches() {
        }
    }

    static final class ChainFunction extends KeyedProcessFunction<String, ChainEvent, Long> {
        private transient ValueState<PartialMatches> state;

        @Override
        public void open(OpenContext openContext) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("partial", PartialMatches.class));
        }

        @Override
        public void processElement(ChainEvent event, Context ctx, Collector<Long> out) throws Exception {
            switch (event.kind) {
                case ChainEvent.START -> {
                    PartialMatches p = state.value();
                    if (p == null) p = new PartialMatches();
                    p.waiting = event.ts;
                    state.update(p);
                    ctx.timerService().registerEventTimeTimer(event.ts + Chain.WINDOW_MS);
                }
                case ChainEvent.CONNECT -> {
                    PartialMatches p = state.value();
                    if (p != null && p.waiting >= 0) {
                        p.armed = p.waiting; // newer than any armed one
                        p.waiting = -1;
                        state.update(p);
                    }
                }
                case ChainEvent.CHILD -> {
                    PartialMatches p = state.value();
                    if (p != null && p.armed >= 0 && event.ts - p.armed < Chain.WINDOW_MS) {
                        out.collect(event.seq);
                        state.clear(); // skip past last event: every partial match started before this C
                    }
                }
                default -> {
                    // background
                }
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) throws Exception {
            PartialMatches p = state.value();
            if (p == null) return;
            if (p.waiting >= 0 && p.waiting + Chain.WINDOW_MS <= timestamp) p.waiting = -1;
            if (p.armed >= 0 && p.armed + Chain.WINDOW_MS <= timestamp) p.armed = -1;
            if (p.waiting < 0 && p.armed < 0) {
                state.clear();
            } else {
                state.update(p);
            }
        }
    }
}
