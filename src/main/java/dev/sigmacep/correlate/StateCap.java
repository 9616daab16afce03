package dev.sigmacep.correlate;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The bound on one correlation's state ({@link GroupBudgets}) as an operator of its own, in front of the
 * correlation's operator, keyed alike and chained to it: streaming jobs, whose savepoints keep its state under its
 * uid. Inputs within the caps pass on; those over a cap leave on {@link #OVER_CAP}.
 */
public final class StateCap extends AbstractStreamOperator<CorrelationEvent>
        implements OneInputStreamOperator<CorrelationEvent, CorrelationEvent> {
    public static final OutputTag<LateEvent> OVER_CAP = new OutputTag<>("over-cap", TypeInformation.of(LateEvent.class));

    private final GroupBudgets budgets;

    public StateCap(CorrelationPlan plan, int maxInputsPerGroup, int maxGroups) {
        this.budgets = new GroupBudgets(plan, maxInputsPerGroup, maxGroups);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        budgets.initialize(this, context);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        budgets.advance(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        budgets.snapshot();
    }

    @Override
    public void processElement(StreamRecord<CorrelationEvent> element) throws Exception {
        if (budgets.admit(element, output)) {
            output.collect(element);
        }
    }
}
