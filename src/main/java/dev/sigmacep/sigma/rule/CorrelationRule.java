package dev.sigmacep.sigma.rule;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A loaded Sigma correlation rule.
 *
 * @param rules   referenced rules, by id or name, as written
 * @param groupBy group-by field names (alias names included)
 * @param aliases alias field → (referenced rule id or name → field of that rule's events)
 * @param condition the correlation condition (e.g. gte: 10; field: X), empty for a temporal one without
 * @param suppress  sigma-cep's {@code correlation.suppress}: at most one alert per group within this window (null:
 *                  every alert)
 * @param until     sigma-cep's {@code correlation.until}: rules (by id or name) whose match in a group ends the
 *                  group's partial matches; empty for none
 * @param joins     sigma-cep's {@code correlation.join}: per-step joins of a temporal_ordered correlation, in the
 *                  order written; empty for none
 */
public record CorrelationRule(String id, String name, String title, String level, List<String> tags, String path,
                              Type type, List<String> rules, List<String> groupBy, Duration timespan,
                              Map<String, Map<String, String>> aliases, boolean generate,
                              CorrelationCondition condition, Duration suppress, List<String> until,
                              List<StepJoin> joins, Map<String, Object> attributes) implements Serializable {

    /** The referenced rules and then the {@code until} rules: every rule whose matches enter the correlation. */
    public List<String> inputs() {
        List<String> inputs = new java.util.ArrayList<>(rules);
        inputs.addAll(until);
        return inputs;
    }

    /** The specification's types, and {@code value_median} (percentile 50) as RSigma offers it. */
    public enum Type {
        EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE, VALUE_MEDIAN;

        /** Temporal types look for a set or sequence of rules; the others measure the events of a timespan. */
        public boolean temporal() {
            return this == TEMPORAL || this == TEMPORAL_ORDERED;
        }

        /** The types whose condition is about the values of {@code condition.field}. */
        public boolean needsField() {
            return this != EVENT_COUNT && !temporal();
        }

        /** The type as Sigma writes it ({@code event_count}). */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
