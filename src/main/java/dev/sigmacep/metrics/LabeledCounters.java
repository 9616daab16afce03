package dev.sigmacep.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * One counter per value of a label, e.g. alerts per rule: each value is a Flink key-value group, which the Prometheus
 * reporter turns into a label ({@code ..._rule_alerts{rule="wer_masquerade_chain"}}). A counter is registered the
 * first time its value is counted, so values never seen cost nothing. The caller bounds the values (rules are bounded
 * by the rule pack): every value stays registered until the operator closes.
 */
public final class LabeledCounters {
    private final MetricGroup group;
    private final String label;
    private final String name;
    private final Map<String, Counter> counters = new HashMap<>();

    /**
     * @param group an operator's metric group
     * @param label the label's name, e.g. {@code rule}
     * @param name  the counter's name, e.g. {@code alerts}
     */
    public LabeledCounters(MetricGroup group, String label, String name) {
        this.group = group;
        this.label = label;
        this.name = name;
    }

    /** The counter of one value; registering the same group and name twice would be a collision Flink only logs. */
    public Counter of(String value) {
        return counters.computeIfAbsent(value, v -> group.addGroup(label, v).counter(name));
    }
}
