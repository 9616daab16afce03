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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Inputs behind the watermark pass uncounted: the correlation's operator sends them to its late output.
 * <p>Where the keyed state is on the heap ({@link StateCap} in a streaming job on the hashmap backend), every open
 * group's budget is a plain object in a hash map and the span ends wait in a {@link TimeQueue}; a snapshot writes
 * the budgets changed since the last one into the keyed state and turns the span ends into timers, so savepoints are
 * the same either way (an input then costs one hash lookup instead of a state read and write, and a new group no
 * timer until a snapshot). The map holds at most {@code maxGroups} budgets. Elsewhere (RocksDB, BATCH) an input
 * costs one read and one write of a small value state.
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
    private transient AbstractStreamOperator<?> host;
    private transient Map<Object, Budget> onHeap; // every open group's budget, on the heap backend; else null
    private transient TimeQueue<Budget> spanEnds; // on the heap: span ends not yet timers
    private transient List<Object> closedStored; // on the heap: groups closed since a snapshot stored their budget
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
        this.host = host;
        budgets = host.getKeyedStateStore().getState(
                new ValueStateDescriptor<>(BUDGET, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        timers = host.getInternalTimerService("state-cap", VoidNamespaceSerializer.INSTANCE, this);
        if ("hashmap".equals(context.getKeyedStateStore().getBackendTypeIdentifier())) {
            onHeap = new HashMap<>();
            spanEnds = new TimeQueue<>();
            closedStored = new ArrayList<>();
        }
        if (context.isRestored()) { // the groups this subtask got back, whatever the parallelism before
            List<Object> restored;
            try (Stream<Object> keys = host.getKeyedStateBackend().getKeys(BUDGET, VoidNamespace.INSTANCE)) {
                restored = keys.toList();
            }
            openGroups = restored.size();
            if (onHeap != null) { // their span ends are restored timers
                for (Object key : restored) {
                    host.setCurrentKey(key);
                    long[] budget = budgets.value();
                    onHeap.put(key, new Budget(key, budget[START], budget[COUNT], true));
                }
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
        Budget budget = budget();
        if (budget == null) {
            if (openGroups >= maxGroups) {
                return overCap(element, output, overGroupsCap, maxGroups + " groups of this correlation hold state"
                        + " on this subtask (correlation-state.max-groups)");
            }
            openGroups++;
            budget = new Budget(host.getCurrentKey(), time, 0, false);
            if (onHeap != null) {
                onHeap.put(budget.key, budget);
            }
            spanOpened(budget);
        } else if (time >= budget.start + spanMillis) {
            budget.start = time;
            budget.count = 0;
            spanOpened(budget);
        } else if (budget.count >= maxInputsPerGroup) {
            return overCap(element, output, overGroupCap, tooManyInputs(maxInputsPerGroup));
        }
        budget.count++;
        if (onHeap != null) {
            budget.unsaved = true; // written at the next snapshot
        } else {
            budgets.update(new long[]{budget.start, budget.count});
        }
        return true;
    }

    /** The current group's budget, null if it holds none: on the heap from the map, else read from the keyed state. */
    private Budget budget() throws IOException {
        if (onHeap != null) {
            return onHeap.get(host.getCurrentKey());
        }
        long[] stored = budgets.value();
        return stored == null ? null : new Budget(host.getCurrentKey(), stored[START], stored[COUNT], true);
    }

    /** The group's state ends two timespans after its span opened: on the heap a queue entry, else a timer. */
    private void spanOpened(Budget budget) {
        long end = budget.start + 2 * spanMillis;
        if (onHeap != null) {
            spanEnds.add(end, budget);
        } else {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, end);
        }
    }

    /** On the heap, before the host's timers fire: the groups whose last span ended two timespans before it close. */
    void advance(long watermark) {
        if (onHeap != null) {
            for (Budget budget : spanEnds.takeUpTo(watermark)) {
                closeIfEnded(budget, watermark); // else a later span opened, and its own end closes it
            }
        }
    }

    /**
     * On the heap, before the host's snapshot: the keyed state loses the budgets of groups closed since the last one
     * and gets those changed since, and the span ends become timers. It walks every open group (at most
     * {@code maxGroups}); a list of the changed ones would keep every group that opened and closed between two
     * snapshots, without bound in a job that takes none.
     */
    void snapshot() throws Exception {
        if (onHeap == null) {
            return;
        }
        for (Object key : closedStored) {
            if (!onHeap.containsKey(key)) { // else the group's newer budget overwrites the stored one below
                host.setCurrentKey(key);
                budgets.clear();
            }
        }
        closedStored.clear();
        for (Budget budget : onHeap.values()) {
            if (budget.unsaved) {
                host.setCurrentKey(budget.key);
                budgets.update(new long[]{budget.start, budget.count});
                budget.stored = true;
                budget.unsaved = false;
            }
        }
        for (Budget budget : spanEnds.items()) {
            if (!budget.closed) { // a group with a later span has an entry per span: its current one's timer, once
                host.setCurrentKey(budget.key);
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, budget.start + 2 * spanMillis);
            }
        }
        spanEnds.clear();
    }

    /** The timer service set the key; else a later span opened, and its own end closes the group. */
    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        Budget budget = budget();
        if (budget != null) {
            closeIfEnded(budget, timer.getTimestamp());
        }
    }

    private void closeIfEnded(Budget budget, long time) {
        if (budget.closed || budget.start + 2 * spanMillis > time) {
            return;
        }
        budget.closed = true;
        openGroups--;
        if (onHeap == null) {
            budgets.clear(); // the current key is the budget's
        } else {
            onHeap.remove(budget.key);
            if (budget.stored) {
                closedStored.add(budget.key);
            }
        }
    }

    /** One open group's budget (on the heap kept between snapshots, elsewhere read from the keyed state per use). */
    private static final class Budget {
        final Object key;
        long start; // of the span, ms
        long count; // inputs in it
        boolean stored; // the keyed state holds a budget of this group (maybe not as it is now)
        boolean unsaved; // changed since the last snapshot
        boolean closed; // the group's state is gone: it left the map

        Budget(Object key, long start, long count, boolean stored) {
            this.key = key;
            this.start = start;
            this.count = count;
            this.stored = stored;
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
