package dev.sigmacep.correlate;

import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.io.IOException;
import java.io.Serializable;
import java.util.stream.Stream;

/**
 * The caps on one correlation's state, kept in the keyed state and a timer service of the operator that hosts them
 * ({@link StateCap} in front of the correlation, or the correlation's own operator in BATCH): per group at most
 * {@code maxInputsPerGroup} inputs per budget span, and per subtask at most {@code maxGroups} groups holding state.
 * An input over either cap does not enter the correlation: it leaves on {@link StateCap#OVER_CAP} as a record with
 * its reason and is counted ({@code correlate.over-cap.inputs-per-group}, {@code correlate.over-cap.groups}).
 * <p>A group's budget span opens with its first input (in arrival order) and lasts the correlation's timespan; the
 * next input at or after its end opens a new one, so at most twice the cap enters within any timespan. The group
 * counts as holding state until two timespans after its span opened: every input of the span has then left the
 * timespan, and with it the partial matches or window entries it made (a timer per group and span, not per input).
 * Per input the cost is one read and one write of a small value state. Inputs behind the watermark pass uncounted:
 * the correlation's operator sends them to its late output.
 */
final class GroupBudgets implements Triggerable<Object, VoidNamespace>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final String BUDGET = "budget";
    private static final int START = 0;
    private static final int COUNT = 1;

    private final String correlationId;
    private final String correlationName;
    private final long spanMillis;
    private final int maxInputsPerGroup;
    private final int maxGroups;

    private transient ValueState<long[]> budgets; // per group: {span start (ms), inputs in it}
    private transient InternalTimerService<VoidNamespace> timers;
    private transient long openGroups;
    private transient JobCounter overGroupCap;
    private transient JobCounter overGroupsCap;

    GroupBudgets(CorrelationPlan plan, int maxInputsPerGroup, int maxGroups) {
        if (maxInputsPerGroup <= 0 || maxGroups <= 0) {
            throw new IllegalArgumentException("caps must be positive, got " + maxInputsPerGroup + " and " + maxGroups);
        }
        this.correlationId = plan.rule().id();
        this.correlationName = plan.displayName();
        this.spanMillis = Math.max(1, plan.timespan().toMillis());
        this.maxInputsPerGroup = maxInputsPerGroup;
        this.maxGroups = maxGroups;
    }

    /**
     * From the host's {@code initializeState}, after its own: keyed state and timers exist by then, and whether the
     * state came from a checkpoint is known only there.
     */
    void initialize(AbstractStreamOperator<?> host, StateInitializationContext context) throws Exception {
        budgets = host.getKeyedStateStore().getState(
                new ValueStateDescriptor<>(BUDGET, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        timers = host.getInternalTimerService("state-cap", VoidNamespaceSerializer.INSTANCE, this);
        if (context.isRestored()) { // the groups this subtask got back, whatever the parallelism before
            try (Stream<Object> keys = host.getKeyedStateBackend().getKeys(BUDGET, VoidNamespace.INSTANCE)) {
                openGroups = keys.count();
            }
        }
        overGroupCap = JobCounter.register(host.getRuntimeContext(), "correlate.over-cap.inputs-per-group");
        overGroupsCap = JobCounter.register(host.getRuntimeContext(), "correlate.over-cap.groups");
        host.getMetricGroup().gauge("correlate.open-groups", () -> openGroups);
    }

    /**
     * Spends the input's group budget, the host's current key being its group; an input over a cap goes to the
     * host's {@link StateCap#OVER_CAP} output instead.
     * @return whether the input enters the correlation
     */
    boolean admit(StreamRecord<CorrelationEvent> element, Output<?> output) throws IOException {
        long time = element.getTimestamp();
        if (time <= timers.currentWatermark()) {
            return true;
        }
        long[] budget = budgets.value();
        if (budget == null) {
            if (openGroups >= maxGroups) {
                return overCap(element, output, overGroupsCap, maxGroups + " groups of this correlation hold state"
                        + " on this subtask (correlation-state.max-groups)");
            }
            openGroups++;
            budget = open(time);
        } else if (time >= budget[START] + spanMillis) {
            budget = open(time);
        } else if (budget[COUNT] >= maxInputsPerGroup) {
            return overCap(element, output, overGroupCap, tooManyInputs(maxInputsPerGroup));
        }
        budget[COUNT]++;
        budgets.update(budget);
        return true;
    }

    private long[] open(long time) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time + 2 * spanMillis);
        return new long[]{time, 0};
    }

    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        long[] budget = budgets.value();
        if (budget != null && budget[START] + 2 * spanMillis <= timer.getTimestamp()) {
            budgets.clear(); // else a later span opened, and its own timer ends it
            openGroups--;
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
    }

    private boolean overCap(StreamRecord<CorrelationEvent> element, Output<?> output, JobCounter counter, String why) {
        counter.inc();
        output.collect(StateCap.OVER_CAP, new StreamRecord<>(
                overCapRecord(correlationId, correlationName, element.getValue(), why), element.getTimestamp()));
        return false;
    }

    /** Why an input over the per-group cap does not enter the correlation. */
    static String tooManyInputs(int maxInputsPerGroup) {
        return "its group already had " + maxInputsPerGroup + " inputs in this timespan"
                + " (correlation-state.max-inputs-per-group)";
    }

    /** The record of an input over a cap, for {@link StateCap#OVER_CAP}. */
    static LateEvent overCapRecord(String correlationId, String correlationName, CorrelationEvent input, String why) {
        String reason = "over cap: event time " + AlertJson.formatTime(input.timeMicros()) + " not correlated by "
                + correlationName + ": " + why;
        return new LateEvent(LateEvent.OVER_CAP, correlationId, reason, input.timeMicros(), input.raw());
    }
}
