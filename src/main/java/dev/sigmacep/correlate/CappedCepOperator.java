package dev.sigmacep.correlate;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * A sequence correlation's CEP operator ({@link CorrelationCepOperator}) with its caps ({@link GroupBudgets}) inside:
 * an input over a cap leaves on {@link StateCap#OVER_CAP} and never reaches the NFA. For BATCH: there Flink makes
 * every keyed operator with sorted inputs head its own chain, so a {@link StateCap} in front costs a blocking exchange
 * and a second sort of every input (a sixth of a fleet replay).
 */
public final class CappedCepOperator extends CorrelationCepOperator {
    private final GroupBudgets budgets;

    /**
     * @param inputs the serializer of the keyed stream's inputs (CEP buffers them in state)
     * @param late   where inputs behind the watermark go
     */
    public CappedCepOperator(CorrelationPlan plan, TypeSerializer<CorrelationEvent> inputs,
                             OutputTag<CorrelationEvent> late, int maxInputsPerGroup, int maxGroups) {
        this(plan, CorrelationPatterns.compile(plan), inputs, late, new GroupBudgets(plan, maxInputsPerGroup, maxGroups));
    }

    private CappedCepOperator(CorrelationPlan plan, Pattern<CorrelationEvent, ?> pattern,
                              TypeSerializer<CorrelationEvent> inputs, OutputTag<CorrelationEvent> late,
                              GroupBudgets budgets) {
        super(plan, pattern, inputs, late);
        this.budgets = budgets;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        budgets.initialize(this, context);
    }

    @Override
    public void processElement(StreamRecord<CorrelationEvent> element) throws Exception {
        if (budgets.admit(element, output)) {
            super.processElement(element);
        }
    }
}
