package dev.sigmacep.sigma.rule;

import java.io.Serializable;

/**
 * One per-step join of a sequence (sigma-cep's {@code correlation.join}): the event matching {@code rule} must
 * carry in {@code field} the value the event matching the earlier {@code earlierRule} carries in
 * {@code earlierField}. Unlike an alias, which names one value every step shares, joins may link each step to a
 * different earlier one (a child's parent GUID to the first process, the child's own GUID to its connection).
 */
public record StepJoin(String rule, String field, String earlierRule, String earlierField) implements Serializable {

    @Override
    public String toString() {
        return rule + "." + field + " = " + earlierRule + "." + earlierField;
    }
}
