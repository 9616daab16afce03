package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * A counting, value or windowed temporal correlation ({@link AggregateCorrelationFunction}) with its caps
 * ({@link GroupBudgets}) inside, for BATCH, as {@link CappedCepOperator} is for sequences and for the same reason.
 */
public final class CappedAggregateOperator extends KeyedProcessOperator<String, CorrelationEvent, Alert> {
    private final GroupBudgets budgets;

    /** @param late where inputs behind the watermark go */
    public CappedAggregateOperator(CorrelationPlan plan, OutputTag<CorrelationEvent> late, int maxInputsPerGroup,
                                   int maxGroups) {
        super(new AggregateCorrelationFunction(plan, late));
        this.budgets = new GroupBudgets(plan, maxInputsPerGroup, maxGroups);
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
