package dev.sigmacep.correlate;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleLabels;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A correlation rule resolved against the rule pack, ready to run: each referenced detection rule is a
 * <em>role</em> (its position in the correlation's {@code rules} list), and each role knows which event field
 * gives each group-by value (the group-by name itself, or the field an alias names for that rule).
 */
public final class CorrelationPlan implements Serializable {
    private final CorrelationRule rule;
    private final String label;
    private final int[] roleRules;
    private final String[][] keyFieldsByRole;
    private final int requiredRoles;

    CorrelationPlan(CorrelationRule rule, String label, int[] roleRules, String[][] keyFieldsByRole, int requiredRoles) {
        this.rule = rule;
        this.label = label;
        this.roleRules = roleRules;
        this.keyFieldsByRole = keyFieldsByRole;
        this.requiredRoles = requiredRoles;
    }

    public CorrelationRule rule() { return rule; }

    /**
     * Names the correlation in operator uids, side outputs and late records: its id, else its name (both are
     * optional in Sigma), else its position in the pack. Stable as long as the rule keeps its id.
     */
    public String label() { return label; }

    /** Names the correlation for people (operator names, late records): its name, else its {@link #label}. */
    public String displayName() { return RuleLabels.display(rule.id(), rule.name(), label); }

    public boolean ordered() { return rule.type() == CorrelationRule.Type.TEMPORAL_ORDERED; }

    public Duration timespan() { return rule.timespan(); }

    public int roleCount() { return roleRules.length; }

    /** The detection rule that plays the given role: its index in the rule list the planner was given. */
    public int roleRule(int role) { return roleRules[role]; }

    /** How many distinct roles a match needs (all of them unless a temporal condition asks for fewer). */
    public int requiredRoles() { return requiredRoles; }

    public List<String> groupBy() { return rule.groupBy(); }

    /** The group-by values of an event seen in the given role, or null when the event lacks one of them. */
    public List<String> groupValues(int role, FieldSource event) {
        String[] fields = keyFieldsByRole[role];
        List<String> values = new ArrayList<>(fields.length);
        for (String field : fields) {
            Object value = event.field(field);
            if (value == null || value.toString().isEmpty()) {
                return null;
            }
            values.add(value.toString());
        }
        return values;
    }
}
