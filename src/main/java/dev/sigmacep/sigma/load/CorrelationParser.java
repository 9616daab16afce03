package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.condition.ConditionParser;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.StepJoin;
import dev.sigmacep.sigma.yaml.DocumentFields;
import dev.sigmacep.yaml.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one YAML document with a {@code correlation} section into a {@link CorrelationRule}, validated on its own.
 * Whether the referenced rules exist is checked over the whole pack ({@link CorrelationResolver}).
 */
final class CorrelationParser {
    private static final String WHERE = "correlation.";

    private CorrelationParser() {
    }

    static CorrelationRule parse(Map<String, Object> document, String path) throws SigmaRuleException {
        String id = DocumentFields.optionalString(document, "id", "");
        String title = DocumentFields.requiredString(document, "title", "");
        Map<String, Object> correlation = DocumentFields.requiredMap(document, "correlation", "");

        CorrelationRule.Type type = type(DocumentFields.requiredString(correlation, "type", WHERE));
        List<String> rules = DocumentFields.stringList(correlation, "rules", WHERE);
        if (rules.isEmpty()) {
            throw new SigmaRuleException("missing correlation.rules");
        }
        if (new LinkedHashSet<>(rules).size() != rules.size()) {
            throw new SigmaRuleException("correlation.rules lists a rule twice: " + rules);
        }
        List<String> groupBy = DocumentFields.stringList(correlation, "group-by", WHERE);
        if (new LinkedHashSet<>(groupBy).size() != groupBy.size()) {
            throw new SigmaRuleException("correlation.group-by lists a field twice: " + groupBy);
        }
        Duration timespan = timespan(DocumentFields.requiredString(correlation, "timespan", WHERE), WHERE + "timespan");
        List<String> until = correlation.get("until") instanceof String one ? List.of(one)
                : DocumentFields.stringList(correlation, "until", WHERE);
        for (String rule : until) {
            if (rules.contains(rule)) {
                throw new SigmaRuleException("correlation.until lists '" + rule + "', which correlation.rules lists too");
            }
        }
        List<String> inputs = new ArrayList<>(rules);
        inputs.addAll(until);
        Map<String, Map<String, String>> aliases = aliases(correlation, inputs);
        CorrelationCondition condition = condition(correlation, type, rules);
        Object generate = correlation.getOrDefault("generate", document.getOrDefault("generate", false));
        if (!(generate instanceof Boolean)) {
            throw new SigmaRuleException("generate must be true or false, not " + DocumentFields.describe(generate));
        }
        Duration suppress = correlation.get("suppress") == null ? null
                : timespan(DocumentFields.requiredString(correlation, "suppress", WHERE), WHERE + "suppress");
        List<StepJoin> joins = joins(correlation, type, rules, until);
        return new CorrelationRule(id, DocumentFields.optionalString(document, "name", ""), title,
                DocumentFields.optionalChoice(document, "level", DocumentFields.LEVELS, ""),
                DocumentFields.stringList(document, "tags", ""),
                path, type, rules, groupBy, timespan, aliases, (Boolean) generate, condition, suppress, until, joins,
                document);
    }

    private static CorrelationRule.Type type(String type) throws SigmaRuleException {
        for (CorrelationRule.Type candidate : CorrelationRule.Type.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(type)) {
                return candidate;
            }
        }
        throw new SigmaRuleException("correlation.type '" + type + "' is unknown (expected one of event_count, "
                + "value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile, value_median)");
    }

    /** The spec's units (s, m, h, d), and ms as job settings write it. */
    private static Duration timespan(String text, String key) throws SigmaRuleException {
        try {
            return Durations.parsePositive(text, key);
        } catch (IllegalArgumentException e) {
            throw new SigmaRuleException(e.getMessage());
        }
    }

    private static Map<String, Map<String, String>> aliases(Map<String, Object> correlation, List<String> rules)
            throws SigmaRuleException {
        if (correlation.get("aliases") == null) {
            return Map.of();
        }
        Map<String, Object> aliases = DocumentFields.requiredMap(correlation, "aliases", WHERE);
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (String alias : aliases.keySet()) {
            Map<String, Object> mapping = DocumentFields.requiredMap(aliases, alias, WHERE + "aliases.");
            Map<String, String> fields = new LinkedHashMap<>();
            for (String rule : mapping.keySet()) {
                if (!rules.contains(rule)) {
                    throw new SigmaRuleException("correlation.aliases." + alias + " maps rule '" + rule
                            + "', which is not in correlation.rules or correlation.until " + rules);
                }
                fields.put(rule, DocumentFields.requiredString(mapping, rule, WHERE + "aliases." + alias + "."));
            }
            result.put(alias, Collections.unmodifiableMap(fields));
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * {@code join: {rule: {field: earlier_rule.field}}}: each step's field must equal a field of a step listed before
     * it (an until rule's, of any listed step). Only sequences have an earlier step.
     */
    private static List<StepJoin> joins(Map<String, Object> correlation, CorrelationRule.Type type, List<String> rules,
                                        List<String> until) throws SigmaRuleException {
        if (correlation.get("join") == null) {
            return List.of();
        }
        if (type != CorrelationRule.Type.TEMPORAL_ORDERED) {
            throw new SigmaRuleException("correlation.join is for temporal_ordered correlations (a join needs the"
                    + " order of the steps), not " + typeName(type));
        }
        Map<String, Object> join = DocumentFields.requiredMap(correlation, "join", WHERE);
        List<StepJoin> joins = new ArrayList<>();
        for (String rule : join.keySet()) {
            String where = WHERE + "join." + rule;
            if (rules.indexOf(rule) <= 0 && !until.contains(rule)) {
                throw new SigmaRuleException(where + ": '" + rule + "' is not a step after the first of"
                        + " correlation.rules " + rules + " nor a correlation.until rule");
            }
            Map<String, Object> fields = DocumentFields.requiredMap(join, rule, WHERE + "join.");
            for (String field : fields.keySet()) {
                String reference = DocumentFields.requiredString(fields, field, where + ".");
                String earlier = earlierStep(reference, rules, until.contains(rule) ? rules.size() : rules.indexOf(rule));
                if (earlier == null) {
                    throw new SigmaRuleException(where + "." + field + ": '" + reference + "' must name a rule listed"
                            + " before '" + rule + "' in correlation.rules and one of its fields (rule.field)");
                }
                joins.add(new StepJoin(rule, field, earlier, reference.substring(earlier.length() + 1)));
            }
        }
        return List.copyOf(joins);
    }

    /** The rule among the first {@code before} of the list that {@code reference} ("rule.field") names, or null. */
    private static String earlierStep(String reference, List<String> rules, int before) {
        String found = null;
        for (String rule : rules.subList(0, before)) { // the longest name wins: names and fields may hold dots
            if (reference.startsWith(rule + ".") && reference.length() > rule.length() + 1
                    && (found == null || rule.length() > found.length())) {
                found = rule;
            }
        }
        return found;
    }

    private static CorrelationCondition condition(Map<String, Object> correlation, CorrelationRule.Type type,
                                                  List<String> rules) throws SigmaRuleException {
        boolean needsField = type.needsField();
        if (correlation.get("condition") == null) {
            if (type.temporal()) {
                return CorrelationCondition.ALL_RULES;
            }
            throw new SigmaRuleException("missing correlation.condition (required for " + typeName(type) + ")");
        }
        if (correlation.get("condition") instanceof String expression) {
            if (!type.temporal()) {
                throw new SigmaRuleException("correlation.condition as an expression is for temporal types, not "
                        + typeName(type));
            }
            try {
                return CorrelationCondition.of(ConditionParser.parse(expression, rules));
            } catch (SigmaRuleException e) {
                throw new SigmaRuleException("correlation." + e.getMessage()
                        .replace("references unknown search identifier", "references a rule not in correlation.rules,"));
            }
        }
        Map<String, Object> condition = DocumentFields.requiredMap(correlation, "condition", WHERE);
        List<CorrelationCondition.Comparison> comparisons = new ArrayList<>();
        List<String> fields = List.of();
        double percentile = type == CorrelationRule.Type.VALUE_PERCENTILE || type == CorrelationRule.Type.VALUE_MEDIAN
                ? 50 : 0;
        for (Map.Entry<String, Object> entry : condition.entrySet()) {
            String key = entry.getKey();
            CorrelationCondition.Operator operator = CorrelationCondition.Operator.byName(key);
            if (key.equals("field")) {
                fields = DocumentFields.stringList(condition, "field", WHERE + "condition.");
            } else if (key.equals("percentile") && type == CorrelationRule.Type.VALUE_PERCENTILE) {
                if (!(entry.getValue() instanceof Number number) || number.doubleValue() < 0
                        || number.doubleValue() > 100) {
                    throw new SigmaRuleException("correlation.condition.percentile must be a number from 0 to 100, not "
                            + DocumentFields.describe(entry.getValue()));
                }
                percentile = number.doubleValue();
            } else if (operator != null) {
                if (!(entry.getValue() instanceof Number number)) {
                    throw new SigmaRuleException("correlation.condition." + key + " must be a number, not "
                            + DocumentFields.describe(entry.getValue()));
                }
                comparisons.add(new CorrelationCondition.Comparison(operator, number.doubleValue()));
            } else {
                throw new SigmaRuleException("correlation.condition has unknown operator '" + key
                        + "' (expected gt, gte, lt, lte, eq, neq or field"
                        + (type == CorrelationRule.Type.VALUE_PERCENTILE ? ", or percentile" : "") + ")");
            }
        }
        if (comparisons.isEmpty()) {
            throw new SigmaRuleException("correlation.condition has no comparison (gt, gte, lt, lte, eq or neq)");
        }
        if (needsField && !condition.containsKey("field")) {
            throw new SigmaRuleException("correlation.condition.field is required for " + typeName(type));
        }
        if (!needsField && condition.containsKey("field")) {
            throw new SigmaRuleException("correlation.condition.field is not allowed for " + typeName(type));
        }
        if (needsField && fields.isEmpty()) {
            throw new SigmaRuleException("correlation.condition.field names no field");
        }
        return new CorrelationCondition(comparisons, fields, percentile);
    }

    private static String typeName(CorrelationRule.Type type) {
        return type.toString();
    }
}
