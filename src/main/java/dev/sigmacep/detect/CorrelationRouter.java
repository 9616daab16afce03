package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.event.Event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one event's rule matches into inputs of the correlations that need them. An event that plays several
 * roles of one correlation under the same group-by values becomes one input carrying all of them; under
 * different values (aliases can make that happen) it becomes one input per partition.
 */
public final class CorrelationRouter {

    /** Receives each correlation input together with the index of its plan. */
    @FunctionalInterface
    public interface Sink {
        void emit(int plan, CorrelationEvent input);
    }

    private final DetectionModel model;

    public CorrelationRouter(DetectionModel model) {
        this.model = model;
    }

    /**
     * @param matched indices of the rules the event matched, {@code count} of them
     * @return how many (correlation, role) pairs were skipped because the event lacks a group-by field or a field
     *         the correlation's condition counts or measures
     */
    public int route(Event event, int[] matched, int count, Sink sink) {
        int skipped = 0;
        Map<Integer, Map<String, CorrelationEvent>> byPlan = null;
        for (int i = 0; i < count; i++) {
            for (DetectionModel.Role role : model.roles(matched[i])) {
                CorrelationPlan plan = model.plans().get(role.plan());
                List<String> values = plan.groupValues(role.role(), event);
                List<String> measured = values == null ? null : plan.values(role.role(), event);
                if (measured == null) {
                    skipped++;
                    continue;
                }
                if (byPlan == null) {
                    byPlan = new LinkedHashMap<>();
                }
                CorrelationEvent input = new CorrelationEvent(values, 1 << role.role(), measured, event);
                byPlan.computeIfAbsent(role.plan(), p -> new LinkedHashMap<>())
                        .merge(input.key(), input, (a, b) -> a.withRoles(b.roles()));
            }
        }
        if (byPlan != null) {
            for (Map.Entry<Integer, Map<String, CorrelationEvent>> plan : byPlan.entrySet()) {
                for (CorrelationEvent input : plan.getValue().values()) {
                    sink.emit(plan.getKey(), input);
                }
            }
        }
        return skipped;
    }
}
