package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.JobCounter;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/**
 * A counting or value correlation ({@code event_count}, {@code value_count}, {@code value_sum}, {@code value_avg},
 * {@code value_percentile}, {@code value_median}) for the groups of one partition, in event time; also a temporal one
 * that CEP does not run (an extended condition with {@code or} or {@code not}, or {@code until} rules), whose window
 * keeps the latest event of each rule.
 * <p>Inputs wait in state until the watermark passes their time, then enter the group's {@link AggregateWindow} in
 * event-time order (ties in {@link CorrelationEventOrder}), so out-of-order input within the bound gives the alerts
 * ordered input gives. Two ways to check the condition, chosen by it:
 * <ul>
 *   <li>only lower bounds ({@code gt}, {@code gte}): as each event comes, over the events of the timespan that ends
 *       with it (a sliding span, no buckets: any burst within the timespan fires);</li>
 *   <li>any upper bound ({@code lt}, {@code lte}, {@code eq}, {@code neq}, or a range): when a span closes, over all
 *       its events; a span opens with a group's first event and lasts the timespan (checked per event, "fewer than
 *       5" would fire on the first event of every group).</li>
 * </ul>
 * After an alert the group starts afresh, so one burst gives one alert; so does an event of an {@code until} rule.
 * State per group is bounded by {@link AggregateWindow#MAX_ENTRIES} (temporal: one event per rule) and is gone once its
 * timespan has passed without events.
 */
public final class AggregateCorrelationFunction extends KeyedProcessFunction<String, CorrelationEvent, Alert> {
    private static final TypeInformation<CorrelationEvent> EVENT = TypeInformation.of(CorrelationEvent.class);

    private final CorrelationPlan plan;
    private final OutputTag<CorrelationEvent> late;
    private final CorrelationRule.Type type;
    private final long spanMicros;
    private final boolean atClose;

    private transient ValueState<AggregateWindow> windows;
    private transient MapState<Long, List<CorrelationEvent>> waiting;
    private transient JobCounter droppedEntries;
    private transient JobCounter notNumbers;

    public AggregateCorrelationFunction(CorrelationPlan plan, OutputTag<CorrelationEvent> late) {
        this.plan = plan;
        this.late = late;
        this.type = plan.type();
        this.spanMicros = plan.timespan().toNanos() / 1000;
        this.atClose = plan.checkedAtClose();
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getState(new ValueStateDescriptor<>("window", AggregateWindow.class));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting", Types.LONG, Types.LIST(EVENT)));
        droppedEntries = JobCounter.register(getRuntimeContext(), "correlate.window-entries-dropped");
        notNumbers = JobCounter.register(getRuntimeContext(), "correlate.values-not-numbers");
    }

    @Override
    public void processElement(CorrelationEvent input, Context ctx, Collector<Alert> out) throws Exception {
        long time = ctx.timestamp();
        if (time <= ctx.timerService().currentWatermark()) {
            ctx.output(late, input);
            return;
        }
        List<CorrelationEvent> at = waiting.get(time);
        List<CorrelationEvent> more = at == null ? new ArrayList<>(1) : new ArrayList<>(at);
        more.add(input);
        waiting.put(time, more);
        ctx.timerService().registerEventTimeTimer(time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        AggregateWindow window = windows.value();
        if (window != null && window.timerAt() == timestamp) {
            window.timerAt(AggregateWindow.NONE);
            expire(window, timestamp * 1000, out);
        }
        List<CorrelationEvent> inputs = waiting.get(timestamp);
        if (inputs != null) {
            waiting.remove(timestamp);
            List<CorrelationEvent> ordered = new ArrayList<>(inputs);
            ordered.sort(new CorrelationEventOrder());
            for (CorrelationEvent input : ordered) {
                window = add(window == null ? newWindow() : window, input, out);
            }
        }
        if (window == null) {
            return;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE && waiting.isEmpty()) {
            // the end of the input: every span closes now, and no timer can be registered any more (BATCH)
            expire(window, Long.MAX_VALUE, out);
            window.clear();
        }
        if (window.isEmpty()) {
            windows.clear(); // a timer still pending finds no window and does nothing
            return;
        }
        long due = Math.floorDiv(dueMicros(window) + 999, 1000); // the first millisecond at or after the due time
        if (window.timerAt() == AggregateWindow.NONE) {
            window.timerAt(due);
            ctx.timerService().registerEventTimeTimer(due);
        }
        windows.update(window);
    }

    private AggregateWindow newWindow() {
        return plan.temporal() ? new AggregateWindow(plan.roleCount()) : new AggregateWindow(type, !atClose);
    }

    /** When the window next has something to do: its span closes, or its oldest entry leaves the timespan. */
    private long dueMicros(AggregateWindow window) {
        return (atClose ? window.spanStart() : window.oldestTime()) + spanMicros;
    }

    /** Time has reached {@code nowMicros}: a span that ended is checked, entries that left the timespan go. */
    private void expire(AggregateWindow window, long nowMicros, Collector<Alert> out) {
        if (atClose) {
            if (window.spanStart() != AggregateWindow.NONE && nowMicros - spanMicros >= window.spanStart()) {
                close(window, out);
            }
        } else {
            window.evictThrough(nowMicros - spanMicros);
        }
    }

    private AggregateWindow add(AggregateWindow window, CorrelationEvent input, Collector<Alert> out) {
        if ((input.roles() & plan.untilRoles()) != 0) {
            expire(window, input.timeMicros(), out); // a span that ended before it is judged first
            window.clear();
            return window;
        }
        if (plan.temporal()) {
            return addToTemporal(window, input, out);
        }
        String distinct = null;
        double number = 0;
        if (type == CorrelationRule.Type.VALUE_COUNT) {
            distinct = CorrelationEvent.key(input.values());
        } else if (type != CorrelationRule.Type.EVENT_COUNT) {
            number = number(input.values().get(0));
            if (Double.isNaN(number)) {
                notNumbers.inc();
                return window;
            }
        }
        long time = input.timeMicros();
        if (atClose) {
            expire(window, time, out);
            if (window.spanStart() == AggregateWindow.NONE) {
                window.spanStart(time);
            }
        } else {
            window.evictThrough(time - spanMicros);
        }
        if (window.add(time, distinct, number)) {
            droppedEntries.inc();
        }
        if (atClose) {
            window.newest(input); // the evidence of an alert at close; per event, the event in hand is
        } else {
            double measure = Measure.of(type, window, plan.condition().percentile());
            if (plan.condition().holds(measure)) {
                out.collect(plan.alert(input.host(), input.groupValues(), window.oldestTime(), time, input.records(),
                        measure));
                window.clear();
            }
        }
        return window;
    }

    private AggregateWindow addToTemporal(AggregateWindow window, CorrelationEvent input, Collector<Alert> out) {
        long time = input.timeMicros();
        if (atClose) {
            expire(window, time, out);
            if (window.spanStart() == AggregateWindow.NONE) {
                window.spanStart(time);
            }
        } else {
            window.evictThrough(time - spanMicros);
        }
        window.addRoles(input);
        if (!atClose && plan.satisfied(window.rolesSeen())) {
            fire(window, out);
        }
        return window;
    }

    /** A temporal match: the latest event of each rule seen is the evidence. */
    private void fire(AggregateWindow window, Collector<Alert> out) {
        List<CorrelationEvent> events = window.latestEvents();
        out.collect(CorrelationAlertFunction.toAlert(plan, events));
        window.clear();
    }

    private void close(AggregateWindow window, Collector<Alert> out) {
        if (plan.temporal()) {
            if (!window.isEmpty() && plan.satisfied(window.rolesSeen())) {
                fire(window, out);
            }
            window.clear();
            return;
        }
        double measure = Measure.of(type, window, plan.condition().percentile());
        CorrelationEvent newest = window.newest();
        if (newest != null && plan.condition().holds(measure)) {
            out.collect(plan.alert(newest.host(), newest.groupValues(), window.spanStart(), newest.timeMicros(),
                    newest.records(), measure));
        }
        window.clear();
    }

    /** The value as a number, NaN when it is not one (such events do not enter a numeric window, and are counted). */
    static double number(String value) {
        try {
            double number = Double.parseDouble(value.trim());
            return Double.isFinite(number) ? number : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
