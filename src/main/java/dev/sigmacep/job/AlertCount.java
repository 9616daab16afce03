package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.LabeledCounters;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the alerts that leave the job per rule (name, else id, else title): a Flink metric labelled by rule for
 * dashboards, and an accumulator {@code alerts.<rule>} for the summary of a replay on a cluster. Rules are bounded
 * by the rule pack.
 */
final class AlertCount extends RichMapFunction<Alert, Alert> {
    static final String PREFIX = "alerts.";
    private transient Map<String, LongCounter> totals;
    private transient LabeledCounters metrics;

    @Override
    public void open(OpenContext context) {
        totals = new HashMap<>();
        metrics = new LabeledCounters(getRuntimeContext().getMetricGroup(), "rule", "alerts");
    }

    @Override
    public Alert map(Alert alert) {
        String rule = ReplayOutput.label(alert);
        totals.computeIfAbsent(rule, label -> {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(PREFIX + label, counter);
            return counter;
        }).add(1);
        metrics.of(rule).inc();
        return alert;
    }
}
