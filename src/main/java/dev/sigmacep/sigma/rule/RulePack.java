package dev.sigmacep.sigma.rule;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of loading rule files: the rules that loaded and an error for every one that did not.
 * Every correlation in {@link #correlations()} has been checked: all the rules it references resolve in this pack.
 */
public record RulePack(List<SigmaRule> rules, List<CorrelationRule> correlations, List<RuleError> errors)
        implements Serializable {

    public RulePack {
        rules = List.copyOf(rules);
        correlations = List.copyOf(correlations);
        errors = List.copyOf(errors);
    }

    /**
     * The rule a correlation's {@code rules} entry names: a detection rule or a correlation (correlations chain),
     * looked up by id first, then by name. A linear scan, meant for job setup, not per event.
     */
    public Optional<RuleReference> resolve(String idOrName) {
        for (SigmaRule rule : rules) {
            if (idOrName.equals(rule.id())) {
                return Optional.of(new RuleReference.Detection(rule));
            }
        }
        for (CorrelationRule correlation : correlations) {
            if (idOrName.equals(correlation.id())) {
                return Optional.of(new RuleReference.Correlation(correlation));
            }
        }
        for (SigmaRule rule : rules) {
            if (idOrName.equals(rule.name())) {
                return Optional.of(new RuleReference.Detection(rule));
            }
        }
        for (CorrelationRule correlation : correlations) {
            if (idOrName.equals(correlation.name())) {
                return Optional.of(new RuleReference.Correlation(correlation));
            }
        }
        return Optional.empty();
    }

    /** The detection rules a correlation builds on, following chained correlations, in reference order. */
    public List<SigmaRule> detectionRules(CorrelationRule correlation) {
        Set<SigmaRule> found = new LinkedHashSet<>();
        collect(correlation, found, new LinkedHashSet<>());
        return new ArrayList<>(found);
    }

    private void collect(CorrelationRule correlation, Set<SigmaRule> found, Set<CorrelationRule> visited) {
        if (!visited.add(correlation)) {
            return;
        }
        for (String ref : correlation.rules()) {
            RuleReference target = resolve(ref).orElseThrow(() -> new IllegalStateException(
                    "correlation " + correlation.id() + " references '" + ref + "', which is not in the pack"));
            if (target instanceof RuleReference.Detection detection) {
                found.add(detection.rule());
            } else {
                collect(((RuleReference.Correlation) target).rule(), found, visited);
            }
        }
    }
}
