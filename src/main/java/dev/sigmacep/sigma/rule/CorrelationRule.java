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
 */
public record CorrelationRule(String id, String name, String title, String level, List<String> tags, String path,
                              Type type, List<String> rules, List<String> groupBy, Duration timespan,
                              Map<String, Map<String, String>> aliases, boolean generate,
                              CorrelationCondition condition, Map<String, Object> attributes) implements Serializable {

    public enum Type { EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE }
}
