package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleLabels;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A correlation rule resolved against the rule pack, ready to run: each referenced rule is a <em>role</em> (its
 * position in the correlation's {@code rules} list). A role is played by a detection rule, or by another
 * correlation whose alerts enter this one (a chain). Each role knows which event field gives each group-by value
 * (the group-by name itself, or the field an alias names for that rule; for a correlation, its group-by value of
 * that name) and, for the value types, which fields give the condition's values.
 */
public final class CorrelationPlan implements Serializable {
    private final CorrelationRule rule;
    private final String label;
    private final int[] roleRules;
    private final int[] roleCorrelations;
    private final String[][] keyFieldsByRole;
    private final String[][] valueFieldsByRole;
    private final int requiredRoles;
    private final StepJoins joins;

    /**
     * @param roleRules        per role, the detection rule's index in the planner's rule list, or -1
     * @param roleCorrelations per role, the index of the correlation's plan among the plans, or -1
     */
    CorrelationPlan(CorrelationRule rule, String label, int[] roleRules, int[] roleCorrelations,
                    String[][] keyFieldsByRole, String[][] valueFieldsByRole, int requiredRoles, StepJoins joins) {
        this.rule = rule;
        this.label = label;
        this.roleRules = roleRules;
        this.roleCorrelations = roleCorrelations;
        this.keyFieldsByRole = keyFieldsByRole;
        this.valueFieldsByRole = valueFieldsByRole;
        this.requiredRoles = requiredRoles;
        this.joins = joins;
    }

    public CorrelationRule rule() { return rule; }

    /**
     * Names the correlation in operator uids, side outputs and late records: its id, else its name (both are
     * optional in Sigma), else its position in the pack. Stable as long as the rule keeps its id.
     */
    public String label() { return label; }

    /** Names the correlation for people (operator names, late records): its name, else its {@link #label}. */
    public String displayName() { return RuleLabels.display(rule.id(), rule.name(), label); }

    public CorrelationRule.Type type() { return rule.type(); }

    /** Temporal types look for rules; the counting and value types measure the events of a timespan. */
    public boolean temporal() { return rule.type().temporal(); }

    /**
     * Whether a CEP pattern runs it: every temporal_ordered correlation, and temporal ones without an extended
     * condition or until rules; the rest runs as keyed windows ({@link AggregateCorrelationFunction}).
     */
    public boolean usesCep() {
        return ordered() || (temporal() && condition().expression() == null && rule.until().isEmpty());
    }

    /**
     * Whether the condition is judged when a span closes rather than as each event comes: conditions with an upper
     * bound, and extended conditions with an absence ({@code not}).
     */
    public boolean checkedAtClose() {
        return temporal() ? condition().hasAbsence() : !condition().onlyLowerBounds();
    }

    /** How many roles the correlation's {@code rules} give; the {@code until} rules' roles come after them. */
    public int listedRoles() { return rule.rules().size(); }

    /** The roles of the {@code until} rules, as a bit mask. */
    public int untilRoles() { return ((1 << roleCount()) - 1) & ~((1 << listedRoles()) - 1); }

    /** Whether the listed roles seen (a bit mask) satisfy a temporal condition: its expression, else enough of them. */
    public boolean satisfied(int seenRoles) {
        if (condition().expression() == null) {
            return Integer.bitCount(seenRoles & ((1 << listedRoles()) - 1)) >= requiredRoles;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int role = 0; role < listedRoles(); role++) {
            if ((seenRoles & (1 << role)) != 0) {
                seen.add(rule.rules().get(role));
            }
        }
        return condition().holds(seen);
    }

    public boolean ordered() { return rule.type() == CorrelationRule.Type.TEMPORAL_ORDERED; }

    public Duration timespan() { return rule.timespan(); }

    public CorrelationCondition condition() { return rule.condition(); }

    public int roleCount() { return roleRules.length; }

    /** The detection rule that plays the given role (its index in the planner's rule list), or -1. */
    public int roleRule(int role) { return roleRules[role]; }

    /** The correlation that plays the given role (the index of its plan), or -1. */
    public int roleCorrelation(int role) { return roleCorrelations[role]; }

    /** How many distinct roles a temporal match needs (all of them unless its condition asks for fewer). */
    public int requiredRoles() { return requiredRoles; }

    public List<String> groupBy() { return rule.groupBy(); }

    /** The group-by values of an event seen in the given role, or null when the event lacks one of them. */
    public List<String> groupValues(int role, FieldSource event) {
        return fieldValues(keyFieldsByRole[role], event::field);
    }

    /**
     * The values an input carries: the condition's field values of an event seen in the given role (value types),
     * or the values its step joins read (a sequence with joins); null when the role lacks one it needs.
     */
    public List<String> values(int role, FieldSource event) {
        return values(role, event::field);
    }

    private List<String> values(int role, Function<String, ?> source) {
        return joins.isEmpty() ? fieldValues(valueFieldsByRole[role], source) : joins.values(role, source);
    }

    /** The per-step joins of a sequence; empty for every other correlation. */
    public StepJoins joins() { return joins; }

    /** An alert of another correlation as an input of this one in the given role, or null when a value lacks. */
    public CorrelationEvent input(int role, Alert inner) {
        Map<String, String> groupBy = inner.groupBy();
        List<String> groupValues = fieldValues(keyFieldsByRole[role], groupBy::get);
        List<String> values = values(role, groupBy::get);
        if (groupValues == null || values == null) {
            return null;
        }
        return new CorrelationEvent(groupValues, 1 << role, inner.host(), inner.lastEventMicros(), values,
                inner.eventsUtf8());
    }

    /** The alert of a match: the correlation's rule fields, the group-by values by name, and the evidence. */
    Alert alert(String host, List<String> groupValues, long firstMicros, long lastMicros, List<byte[]> records,
                Double measure) {
        Map<String, String> groupBy = new LinkedHashMap<>();
        for (int i = 0; i < groupValues.size(); i++) {
            groupBy.put(rule.groupBy().get(i), groupValues.get(i));
        }
        return new Alert(rule.id(), rule.name(), rule.title(), rule.level(), rule.tags(), host, groupBy, firstMicros,
                lastMicros, records, rule.type().toString(), measure);
    }

    private static List<String> fieldValues(String[] fields, Function<String, ?> event) {
        List<String> values = new ArrayList<>(fields.length);
        for (String field : fields) {
            Object value = event.apply(field);
            if (value == null || value.toString().isEmpty()) {
                return null;
            }
            values.add(value.toString());
        }
        return values;
    }
}
