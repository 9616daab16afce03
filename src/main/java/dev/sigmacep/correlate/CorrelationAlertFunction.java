package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        List<CorrelationEvent> inputs = new ArrayList<>();
        match.values().forEach(inputs::addAll);
        inputs.sort(new CorrelationEventOrder());
        out.collect(toAlert(plan, inputs));
    }

    static Alert toAlert(CorrelationPlan plan, List<CorrelationEvent> inputs) {
        CorrelationRule rule = plan.rule();
        CorrelationEvent first = inputs.get(0);
        LinkedHashMap<String, String> groupBy = new LinkedHashMap<>();
        for (int i = 0; i < plan.groupBy().size(); i++) {
            groupBy.put(plan.groupBy().get(i), first.groupValues().get(i));
        }
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!seenBefore(inputs, i)) {
                events.add(inputs.get(i).rawUtf8());
            }
        }
        return new Alert(rule.id(), rule.name(), rule.title(), rule.level(), rule.tags(), first.host(),
                groupBy, first.timeMicros(), inputs.get(inputs.size() - 1).timeMicros(), events);
    }

    /** A record is evidence once, however many steps it played (a match has at most 31 steps). */
    private static boolean seenBefore(List<CorrelationEvent> inputs, int index) {
        for (int i = 0; i < index; i++) {
            if (inputs.get(i).sameRecord(inputs.get(index))) {
                return true;
            }
        }
        return false;
    }
}
