package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleIndex;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves correlation rules against the loaded detection rules and turns each supported one into a
 * {@link CorrelationPlan}; every correlation it cannot run becomes a {@link RuleError} that says why.
 */
public final class CorrelationPlanner {
    /** Roles are bits of an int in {@link CorrelationEvent}. */
    static final int MAX_ROLES = 31;

    private final List<SigmaRule> rules;
    private final RuleIndex index;

    public CorrelationPlanner(List<SigmaRule> rules, List<CorrelationRule> correlations) {
        this.rules = rules;
        this.index = RuleIndex.of(rules, correlations);
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

    /** The plan's key (its operators' uids): must stay what it was, or savepoints no longer restore. */
    private static String label(CorrelationRule correlation, int index) {
        return RuleLabels.key(correlation.id(), correlation.name(), "correlation-" + index);
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
            int rule = index.detectionIndex(ref);
            if (rule < 0) {
                throw new IllegalArgumentException(index.resolve(ref).isPresent()
                        ? "references correlation '" + ref + "': chained correlations are not supported yet"
                        : "references rule '" + ref + "' which is not in the rule pack");
            }
            roleRules[role] = rule;
            keyFields[role] = keyFields(correlation, ref, rules.get(rule));
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
        CorrelationCondition condition = correlation.condition();
        if (condition.isEmpty()) {
            return roles;
        }
        String type = correlation.type().name().toLowerCase(Locale.ROOT);
        if (condition.comparisons().size() != 1) {
            throw new IllegalArgumentException("condition " + condition + " is not supported for " + type
                    + " (use one of gte, gt, eq)");
        }
        CorrelationCondition.Comparison comparison = condition.comparisons().get(0);
        int required = switch (comparison.operator()) {
            case GTE, EQ -> (int) comparison.value();
            case GT -> (int) comparison.value() + 1;
            default -> throw new IllegalArgumentException("condition '" + comparison.operator() + "' is not supported for "
                    + type + " (use one of gte, gt, eq)");
        };
        if (comparison.operator() == CorrelationCondition.Operator.EQ && required != roles) {
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
