package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Feeds the alerts of one correlation into a correlation built on it (a chain), in the role the inner one plays
 * there: the outer group-by values (and condition values) come from the inner alert's group-by values, its
 * evidence becomes the input's records.
 */
public final class ChainedInputFunction extends RichFlatMapFunction<Alert, CorrelationEvent> {
    private final CorrelationPlan outer;
    private final int role;
    private transient JobCounter missing;

    public ChainedInputFunction(CorrelationPlan outer, int role) {
        this.outer = outer;
        this.role = role;
    }

    @Override
    public void open(OpenContext openContext) {
        missing = JobCounter.register(getRuntimeContext(), "correlate.missing-group-by-field");
    }

    @Override
    public void flatMap(Alert inner, Collector<CorrelationEvent> out) {
        CorrelationEvent input = outer.input(role, inner);
        if (input == null) {
            missing.inc(); // an empty group-by value: the planner made sure every name is carried
            return;
        }
        out.collect(input);
    }
}
