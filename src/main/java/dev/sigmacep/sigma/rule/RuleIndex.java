package dev.sigmacep.sigma.rule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rules found by the id or name other rules use for them (correlations, filters). A loaded pack gives every id and
 * name to one rule only (the loader rejects clashes), so a reference names at most one rule; should a clash reach
 * an index anyway, ids win over names and earlier rules over later ones. Built once, for job setup.
 */
public final class RuleIndex {
    private final Map<String, Integer> detectionByRef = new HashMap<>();
    private final Map<String, CorrelationRule> correlationByRef = new HashMap<>();
    private final List<SigmaRule> rules;

    private RuleIndex(List<SigmaRule> rules, List<CorrelationRule> correlations) {
        this.rules = List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) {
            putIfPresent(detectionByRef, rules.get(i).id(), i);
        }
        for (CorrelationRule correlation : correlations) {
            putIfPresent(correlationByRef, correlation.id(), correlation);
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name() != null && !correlationByRef.containsKey(rules.get(i).name())) {
                detectionByRef.putIfAbsent(rules.get(i).name(), i);
            }
        }
        for (CorrelationRule correlation : correlations) {
            if (correlation.name() != null && !detectionByRef.containsKey(correlation.name())) {
                correlationByRef.putIfAbsent(correlation.name(), correlation);
            }
        }
    }

    public static RuleIndex of(List<SigmaRule> rules, List<CorrelationRule> correlations) {
        return new RuleIndex(rules, correlations);
    }

    /** The detection rule's position in the list the index was built from; -1 when the reference names none. */
    public int detectionIndex(String ref) {
        return detectionByRef.getOrDefault(ref, -1);
    }

    /** The correlation the reference names, or null. */
    public CorrelationRule correlation(String ref) {
        return correlationByRef.get(ref);
    }

    /** The detection rule or correlation the reference names. */
    public Optional<RuleReference> resolve(String ref) {
        int detection = detectionIndex(ref);
        if (detection >= 0) {
            return Optional.of(new RuleReference.Detection(rules.get(detection)));
        }
        CorrelationRule correlation = correlation(ref);
        return correlation == null ? Optional.empty() : Optional.of(new RuleReference.Correlation(correlation));
    }

    private static <V> void putIfPresent(Map<String, V> map, String key, V value) {
        if (key != null) {
            map.putIfAbsent(key, value);
        }
    }
}
