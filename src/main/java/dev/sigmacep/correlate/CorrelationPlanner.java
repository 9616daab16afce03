package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleIndex;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.sigma.rule.StepJoin;

import java.util.ArrayList;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Resolves correlation rules against the loaded detection rules and turns each runnable one into a
 * {@link CorrelationPlan}; every correlation it cannot run becomes a {@link RuleError} that says why. A correlation
 * built on other correlations is planned after them, so the plans come in an order where every role's correlation
 * is planned before the correlations that use it.
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
        Map<CorrelationRule, Integer> planned = new IdentityHashMap<>();
        Map<CorrelationRule, String> failed = new IdentityHashMap<>();
        boolean progress = true;
        while (progress) { // chains: a correlation waits until the correlations it references are planned
            progress = false;
            for (int i = 0; i < correlations.size(); i++) {
                CorrelationRule correlation = correlations.get(i);
                if (planned.containsKey(correlation) || failed.containsKey(correlation)) {
                    continue;
                }
                if (!innerPlanned(correlation, planned, failed)) {
                    continue;
                }
                progress = true;
                try {
                    String innerFailed = innerFailure(correlation, failed);
                    if (innerFailed != null) {
                        throw new IllegalArgumentException(innerFailed);
                    }
                    plans.add(plan(correlation, label(correlation, i), planned, plans));
                    planned.put(correlation, plans.size() - 1);
                } catch (IllegalArgumentException e) {
                    failed.put(correlation, e.getMessage());
                    errors.add(new RuleError(correlation.path(), correlation.id(), e.getMessage()));
                }
            }
        }
        for (CorrelationRule correlation : correlations) {
            if (!planned.containsKey(correlation) && !failed.containsKey(correlation)) {
                errors.add(new RuleError(correlation.path(), correlation.id(), "correlation chain loops back to itself"));
            }
        }
        return new Result(plans, errors);
    }

    /** The correlations a correlation references, as its roles resolve them (a detection rule wins a clash). */
    private List<CorrelationRule> inner(CorrelationRule correlation) {
        List<CorrelationRule> inner = new ArrayList<>();
        for (String ref : correlation.inputs()) {
            if (index.detectionIndex(ref) < 0 && index.correlation(ref) != null) {
                inner.add(index.correlation(ref));
            }
        }
        return inner;
    }

    /** Whether every correlation it references has been dealt with (planned or failed). */
    private boolean innerPlanned(CorrelationRule correlation, Map<CorrelationRule, Integer> planned,
                                 Map<CorrelationRule, String> failed) {
        return inner(correlation).stream().allMatch(c -> planned.containsKey(c) || failed.containsKey(c));
    }

    /** Why a referenced correlation cannot run, or null. */
    private String innerFailure(CorrelationRule correlation, Map<CorrelationRule, String> failed) {
        for (CorrelationRule inner : inner(correlation)) {
            if (failed.containsKey(inner)) {
                return "references correlation '" + RuleLabels.display(inner.id(), inner.name(), inner.title())
                        + "', which cannot run: " + failed.get(inner);
            }
        }
        return null;
    }

    /** The plan's key (its operators' uids): must stay what it was, or savepoints no longer restore. */
    private static String label(CorrelationRule correlation, int index) {
        return RuleLabels.key(correlation.id(), correlation.name(), "correlation-" + index);
    }

    private CorrelationPlan plan(CorrelationRule correlation, String label, Map<CorrelationRule, Integer> planned,
                                 List<CorrelationPlan> plans) {
        CorrelationRule.Type type = correlation.type();
        List<String> refs = correlation.inputs();
        int least = type.temporal() ? 2 : 1;
        int listed = correlation.rules().size();
        if (listed < least || refs.size() > MAX_ROLES) {
            throw new IllegalArgumentException("a " + type + " correlation needs " + least + " to "
                    + MAX_ROLES + " rules (until rules included), this one has " + refs.size());
        }
        int[] roleRules = new int[refs.size()];
        int[] roleCorrelations = new int[refs.size()];
        String[][] keyFields = new String[refs.size()][];
        String[][] valueFields = new String[refs.size()][];
        for (int role = 0; role < refs.size(); role++) {
            String ref = refs.get(role);
            int rule = index.detectionIndex(ref);
            CorrelationRule inner = rule < 0 ? index.correlation(ref) : null;
            if (rule < 0 && inner == null) {
                throw new IllegalArgumentException("references rule '" + ref + "' which is not in the rule pack");
            }
            roleRules[role] = rule;
            roleCorrelations[role] = inner == null ? -1 : planned.get(inner);
            String name = rule >= 0 ? rules.get(rule).name() : inner.name();
            String id = rule >= 0 ? rules.get(rule).id() : inner.id();
            keyFields[role] = fields(correlation, correlation.groupBy(), ref, name, id);
            valueFields[role] = fields(correlation, correlation.condition().fields(), ref, name, id);
            if (inner != null) {
                requireCarried(keyFields[role], plans.get(roleCorrelations[role]), "group-by");
                requireCarried(valueFields[role], plans.get(roleCorrelations[role]), "condition field");
            }
        }
        if (type.needsField() && type != CorrelationRule.Type.VALUE_COUNT && correlation.condition().fields().size() != 1) {
            throw new IllegalArgumentException(type + " measures one field, condition.field names "
                    + correlation.condition().fields().size());
        }
        int required = type.temporal() && correlation.condition().expression() == null
                ? requiredRoles(correlation, listed) : 0;
        if (type == CorrelationRule.Type.TEMPORAL_ORDERED && correlation.condition().expression() != null) {
            CorrelationPatterns.checkSequence(correlation);
        }
        CorrelationPatterns.checkJoins(correlation);
        for (StepJoin join : correlation.joins()) { // a chained correlation's alerts carry only group-by values
            int role = refs.indexOf(join.rule());
            int earlier = refs.indexOf(join.earlierRule());
            if (roleCorrelations[role] >= 0) {
                requireCarried(new String[]{join.field()}, plans.get(roleCorrelations[role]), "join field");
            }
            if (roleCorrelations[earlier] >= 0) {
                requireCarried(new String[]{join.earlierField()}, plans.get(roleCorrelations[earlier]), "join field");
            }
        }
        return new CorrelationPlan(correlation, label, roleRules, roleCorrelations, keyFields, valueFields, required,
                StepJoins.of(correlation.joins(), refs));
    }

    /**
     * The event field of each named field for one rule: an alias resolves per rule (by the reference as written,
     * the rule's name or its id), any other name is a field.
     */
    private static String[] fields(CorrelationRule correlation, List<String> names, String ref, String ruleName,
                                   String ruleId) {
        String[] fields = new String[names.size()];
        for (int i = 0; i < fields.length; i++) {
            String name = names.get(i);
            Map<String, String> alias = correlation.aliases().get(name);
            if (alias == null) {
                fields[i] = name;
                continue;
            }
            String field = alias.get(ref);
            if (field == null && ruleName != null) {
                field = alias.get(ruleName);
            }
            if (field == null && ruleId != null) {
                field = alias.get(ruleId);
            }
            if (field == null) {
                throw new IllegalArgumentException("alias '" + name + "' has no field for rule '" + ref + "'");
            }
            fields[i] = field;
        }
        return fields;
    }

    /** An alert of a correlation carries only its group-by values, so a chain can read nothing else of it. */
    private static void requireCarried(String[] fields, CorrelationPlan inner, String what) {
        for (String field : fields) {
            if (!inner.groupBy().contains(field)) {
                throw new IllegalArgumentException(what + " '" + field + "' is not a group-by field of correlation '"
                        + inner.displayName() + "' " + inner.groupBy() + ", so its alerts do not carry it");
            }
        }
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
        String type = correlation.type().toString();
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
