package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns a CEP match of one correlation into an alert with its evidence events in event-time order. */
public final class CorrelationAlertFunction extends PatternProcessFunction<CorrelationEvent, Alert> {
    private final CorrelationPlan plan;

    public CorrelationAlertFunction(CorrelationPlan plan) {
        this.plan = plan;
    }

    @Override
    public void processMatch(Map<String, List<CorrelationEvent>> match, Context ctx, Collector<Alert> out) {
        out.collect(alertOf(plan, match));
    }

    static Alert alertOf(CorrelationPlan plan, Map<String, List<CorrelationEvent>> match) {
        List<CorrelationEvent> inputs = new ArrayList<>();
        match.values().forEach(inputs::addAll);
        inputs.sort(new CorrelationEventOrder());
        return toAlert(plan, inputs);
    }

    static Alert toAlert(CorrelationPlan plan, List<CorrelationEvent> inputs) {
        CorrelationEvent first = inputs.get(0);
        List<byte[]> events = new ArrayList<>();
        for (CorrelationEvent input : inputs) {
            for (byte[] record : input.records()) {
                if (!contains(events, record)) {
                    events.add(record);
                }
            }
        }
        return plan.alert(first.host(), first.groupValues(), first.timeMicros(),
                inputs.get(inputs.size() - 1).timeMicros(), events, null);
    }

    /** A record is evidence once, however many steps it played (a match has at most 31 steps). */
    private static boolean contains(List<byte[]> records, byte[] record) {
        for (byte[] seen : records) {
            if (Arrays.equals(seen, record)) {
                return true;
            }
        }
        return false;
    }
}
