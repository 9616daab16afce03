package dev.sigmacep.sigma.rule;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.field.Predicates;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.prefilter.NecessaryCondition;

import java.io.Serializable;
import java.util.List;

/**
 * A detection rule with its detection compiled: what the rule pack evaluates per event.
 *
 * @param predicate          the rule's detection and exclusions as one predicate
 * @param necessaryCondition holds whenever {@code predicate} does: lets the pack skip the rule on events where it
 *                           cannot match
 */
public record CompiledRule(SigmaRule rule, EventPredicate predicate, NecessaryCondition necessaryCondition)
        implements Serializable {

    public boolean matches(FieldSource event) {
        return predicate.test(event);
    }

    /**
     * With a Sigma filter applied: no longer matches the events the exclusion matches. The necessary condition
     * still holds, the rule only matches fewer events.
     */
    public CompiledRule withExclusion(Detection exclusion, EventPredicate compiledExclusion) {
        return new CompiledRule(rule.withExclusion(exclusion),
                Predicates.and(List.of(predicate, Predicates.not(compiledExclusion))), necessaryCondition);
    }
}
