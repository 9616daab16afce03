package dev.sigmacep.sigma.rule;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of loading rule files: the rules that loaded (as models and compiled, in the same order) and an error
 * for every one that did not. Every correlation in {@link #correlations()} has been checked: all the rules it
 * references resolve in this pack.
 */
public final class RulePack implements Serializable {
    private final List<CompiledRule> compiled;
    private final List<SigmaRule> rules;
    private final List<CorrelationRule> correlations;
    private final List<RuleError> errors;

    public RulePack(List<CompiledRule> compiled, List<CorrelationRule> correlations, List<RuleError> errors) {
        this.compiled = List.copyOf(compiled);
        this.rules = compiled.stream().map(CompiledRule::rule).toList();
        this.correlations = List.copyOf(correlations);
        this.errors = List.copyOf(errors);
    }

    /** The detection rules, compiled; rule i here is {@code rules().get(i)}. */
    public List<CompiledRule> compiled() { return compiled; }

    public List<SigmaRule> rules() { return rules; }

    public List<CorrelationRule> correlations() { return correlations; }

    public List<RuleError> errors() { return errors; }

    /** The rules by the ids and names that correlations and filters use; build it once per setup. */
    public RuleIndex index() {
        return RuleIndex.of(rules, correlations);
    }

    /** The detection rules a correlation builds on, following chained correlations, in reference order. */
    public List<SigmaRule> detectionRules(CorrelationRule correlation) {
        Set<SigmaRule> found = new LinkedHashSet<>();
        collect(index(), correlation, found, new LinkedHashSet<>());
        return new ArrayList<>(found);
    }

    private static void collect(RuleIndex index, CorrelationRule correlation, Set<SigmaRule> found,
                                Set<CorrelationRule> visited) {
        if (!visited.add(correlation)) {
            return;
        }
        for (String ref : correlation.rules()) {
            RuleReference target = index.resolve(ref).orElseThrow(() -> new IllegalStateException(
                    "correlation " + correlation.id() + " references '" + ref + "', which is not in the pack"));
            if (target instanceof RuleReference.Detection detection) {
                found.add(detection.rule());
            } else {
                collect(index, ((RuleReference.Correlation) target).rule(), found, visited);
            }
        }
    }
}
