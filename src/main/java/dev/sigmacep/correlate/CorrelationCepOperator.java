package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Set;

/**
 * A sequence correlation's Flink CEP operator: event time, the plan's pattern ({@link CorrelationPatterns}), inputs
 * of one timestamp in {@link CorrelationEventOrder}, alerts by {@link CorrelationAlertFunction}, inputs behind the
 * watermark to a side output. What {@code CEP.pattern(...).inEventTime().process(...)} builds, but on a state
 * backend that keeps its objects on the heap the shared buffer of partial matches is an {@link UncachedSharedBuffer}:
 * Flink CEP fronts the buffer's map states with two Guava caches, made for backends that serialize on every access
 * (RocksDB, which keeps them); on the heap they only cost, a quarter of the operator's time at 200,000 hosts
 * ({@code docs/benchmarks.md}, round 10). The same states under the same names: savepoints do not change.
 */
public class CorrelationCepOperator extends CepOperator<CorrelationEvent, String, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelationCepOperator.class);
    /** Keyed state backends that hand out the stored objects themselves: {@code hashmap}, and BATCH's. */
    private static final Set<String> HEAP_BACKENDS = Set.of("hashmap", "batch");

    private final TypeSerializer<CorrelationEvent> inputs;

    /**
     * @param inputs the serializer of the keyed stream's inputs (CEP buffers them in state)
     * @param late   where inputs behind the watermark go (null: dropped, counted by Flink's CEP metric)
     */
    public CorrelationCepOperator(CorrelationPlan plan, TypeSerializer<CorrelationEvent> inputs,
                                  OutputTag<CorrelationEvent> late) {
        this(plan, CorrelationPatterns.compile(plan), inputs, late);
    }

    CorrelationCepOperator(CorrelationPlan plan, Pattern<CorrelationEvent, ?> pattern,
                           TypeSerializer<CorrelationEvent> inputs, OutputTag<CorrelationEvent> late) {
        // no timed-out partial match handling: CorrelationAlertFunction only takes matches
        super(inputs, false, NFACompiler.compileFactory(pattern, false), new CorrelationEventOrder(),
                pattern.getAfterMatchSkipStrategy(), new CorrelationAlertFunction(plan), late);
        this.inputs = inputs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        KeyedStateStore store = context.getKeyedStateStore();
        if (HEAP_BACKENDS.contains(store.getBackendTypeIdentifier())) {
            skipBufferCaches(store);
        }
    }

    /**
     * {@code CepOperator} makes its buffer in {@code initializeState} and keeps it in a private field: replaced here.
     * Should a Flink upgrade rename the field, Flink's own buffer stays (same results, slower) and the log says so;
     * {@code CorrelationCepOperatorTest} fails first.
     */
    private void skipBufferCaches(KeyedStateStore store) {
        try {
            Field field = CepOperator.class.getDeclaredField("partialMatches");
            field.setAccessible(true);
            SharedBuffer<?> flinks = (SharedBuffer<?>) field.get(this);
            field.set(this, new UncachedSharedBuffer<>(store, inputs));
            flinks.releaseCacheStatisticsTimer();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("Flink CEP's shared buffer keeps its caches: the alerts are the same, only slower ({})",
                    e.toString());
        }
    }
}
