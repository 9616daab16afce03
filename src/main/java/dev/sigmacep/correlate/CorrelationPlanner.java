package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves correlation rules against the loaded detection rules and turns each supported one into a
 * {@link CorrelationPlan}; every correlation it cannot run becomes a {@link RuleError} that says why.
 */
public final class CorrelationPlanner {
    /** Roles are bits of an int in {@link CorrelationEvent}. */
    static final int MAX_ROLES = 31;

    private final List<SigmaRule> rules;
    private final Map<String, Integer> ruleIndexByRef = new HashMap<>();
    private final Map<String, CorrelationRule> correlationsByRef = new HashMap<>();

    /** References resolve as the rule loader checks them: by id first, then by name. */
    public CorrelationPlanner(List<SigmaRule> rules, List<CorrelationRule> correlations) {
        this.rules = rules;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id() != null) {
                ruleIndexByRef.putIfAbsent(rules.get(i).id(), i);
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name() != null) {
                ruleIndexByRef.putIfAbsent(rules.get(i).name(), i);
            }
        }
        for (CorrelationRule correlation : correlations) {
            if (correlation.id() != null) {
                correlationsByRef.putIfAbsent(correlation.id(), correlation);
            }
            if (correlation.name() != null) {
                correlationsByRef.putIfAbsent(correlation.name(), correlation);
            }
        }
    }

    public record Result(List<CorrelationPlan> plans, List<RuleError> errors) {
    }

    public Result plan(List<CorrelationRule> correlations) {
        List<CorrelationPlan> plans = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        for (int i = 0; i < correlations.size(); i++) {
            CorrelationRule correlation = correlations.get(i);
            try {
                plans.add(plan(correlation, label(correlation, i)));
            } catch (IllegalArgumentException e) {
                errors.add(new RuleError(correlation.path(), correlation.id(), e.getMessage()));
            }
        }
        return new Result(plans, errors);
    }

    private static String label(CorrelationRule correlation, int index) {
        return correlation.id() != null ? correlation.id()
                : correlation.name() != null ? correlation.name() : "correlation-" + index;
    }

    private CorrelationPlan plan(CorrelationRule correlation, String label) {
        CorrelationRule.Type type = correlation.type();
        if (type != CorrelationRule.Type.TEMPORAL && type != CorrelationRule.Type.TEMPORAL_ORDERED) {
            throw new IllegalArgumentException("correlation type " + type.name().toLowerCase()
                    + " is not supported yet (supported: temporal, temporal_ordered)");
        }
        List<String> refs = correlation.rules();
        if (refs.size() < 2 || refs.size() > MAX_ROLES) {
            throw new IllegalArgumentException("a " + type.name().toLowerCase() + " correlation needs 2 to "
                    + MAX_ROLES + " rules, this one has " + refs.size());
        }
        int[] roleRules = new int[refs.size()];
        String[][] keyFields = new String[refs.size()][];
        for (int role = 0; role < refs.size(); role++) {
            String ref = refs.get(role);
            Integer index = ruleIndexByRef.get(ref);
            if (index == null) {
                throw new IllegalArgumentException(correlationsByRef.containsKey(ref)
                        ? "references correlation '" + ref + "': chained correlations are not supported yet"
                        : "references rule '" + ref + "' which is not in the rule pack");
            }
            roleRules[role] = index;
            keyFields[role] = keyFields(correlation, ref, rules.get(index));
        }
        return new CorrelationPlan(correlation, label, roleRules, keyFields, requiredRoles(correlation, refs.size()));
    }

    /** The event field of each group-by entry for one rule: an alias resolves per rule, any other name is a field. */
    private static String[] keyFields(CorrelationRule correlation, String ref, SigmaRule rule) {
        List<String> groupBy = correlation.groupBy();
        String[] fields = new String[groupBy.size()];
        for (int i = 0; i < fields.length; i++) {
            String name = groupBy.get(i);
            Map<String, String> alias = correlation.aliases().get(name);
            if (alias == null) {
                fields[i] = name;
                continue;
            }
            String field = alias.get(ref);
            if (field == null && rule.name() != null) {
                field = alias.get(rule.name());
            }
            if (field == null && rule.id() != null) {
                field = alias.get(rule.id());
            }
            if (field == null) {
                throw new IllegalArgumentException("alias '" + name + "' has no field for rule '" + ref + "'");
            }
            fields[i] = field;
        }
        return fields;
    }

    /**
     * Temporal correlations may ask for fewer distinct rules than they list (condition gte/gt/eq); ordered ones
     * must see every rule in order, so any condition other than "all of them" is rejected.
     */
    private static int requiredRoles(CorrelationRule correlation, int roles) {
        Map<String, Object> condition = correlation.condition();
        if (condition == null || condition.isEmpty()) {
            return roles;
        }
        if (condition.size() != 1) {
            throw new IllegalArgumentException("condition " + condition + " is not supported for "
                    + correlation.type().name().toLowerCase() + " (use one of gte, gt, eq)");
        }
        Map.Entry<String, Object> entry = condition.entrySet().iterator().next();
        if (!(entry.getValue() instanceof Number number)) {
            throw new IllegalArgumentException("condition " + entry.getKey() + " needs a number, got '"
                    + entry.getValue() + "'");
        }
        int required = switch (entry.getKey()) {
            case "gte", "eq" -> number.intValue();
            case "gt" -> number.intValue() + 1;
            default -> throw new IllegalArgumentException("condition '" + entry.getKey() + "' is not supported for "
                    + correlation.type().name().toLowerCase() + " (use one of gte, gt, eq)");
        };
        if ("eq".equals(entry.getKey()) && required != roles) {
            throw new IllegalArgumentException("condition eq " + required + " with " + roles
                    + " rules is not supported (only eq " + roles + ")");
        }
        if (required < 2 || required > roles) {
            throw new IllegalArgumentException("condition asks for " + required + " distinct rules but the"
                    + " correlation lists " + roles);
        }
        if (correlation.type() == CorrelationRule.Type.TEMPORAL_ORDERED && required != roles) {
            throw new IllegalArgumentException("temporal_ordered with a condition below all " + roles
                    + " rules is not supported");
        }
        return required;
    }
}
