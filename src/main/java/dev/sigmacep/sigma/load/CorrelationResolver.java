package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks correlations against the whole pack: every referenced rule (by id or name) must be loaded, and
 * correlation chains must not loop. A correlation that fails becomes a RuleError, and so does every correlation
 * that builds on it.
 */
final class CorrelationResolver {
    private CorrelationResolver() {
    }

    static List<CorrelationRule> resolve(List<SigmaRule> rules, List<CorrelationRule> correlations,
                                         List<RuleError> errors) {
        Set<String> detectionRefs = new HashSet<>();
        for (SigmaRule rule : rules) {
            addRefs(detectionRefs, rule.id(), rule.name());
        }
        Map<CorrelationRule, String> rejected = new LinkedHashMap<>();
        boolean changed = true;
        while (changed) { // a rejection may break the correlations that chain on it
            changed = false;
            Map<String, CorrelationRule> live = correlationRefs(correlations, rejected.keySet());
            for (CorrelationRule correlation : correlations) {
                if (rejected.containsKey(correlation)) {
                    continue;
                }
                for (String ref : correlation.rules()) {
                    if (detectionRefs.contains(ref) || live.containsKey(ref)) {
                        continue;
                    }
                    boolean wasRejected = correlationRefs(correlations, Set.of()).containsKey(ref)
                            || errors.stream().anyMatch(error -> ref.equals(error.id()));
                    rejected.put(correlation, "references rule '" + ref + "' which is not in the rule pack"
                            + (wasRejected ? " (that rule was rejected)" : ""));
                    changed = true;
                    break;
                }
            }
        }
        rejectCycles(correlations, rejected);
        List<CorrelationRule> valid = new ArrayList<>();
        for (CorrelationRule correlation : correlations) {
            String reason = rejected.get(correlation);
            if (reason == null) {
                valid.add(correlation);
            } else {
                errors.add(new RuleError(correlation.path(), correlation.id(), reason));
            }
        }
        return valid;
    }

    private static void rejectCycles(List<CorrelationRule> correlations, Map<CorrelationRule, String> rejected) {
        Map<String, CorrelationRule> byRef = correlationRefs(correlations, rejected.keySet());
        for (CorrelationRule start : correlations) {
            if (!rejected.containsKey(start) && reaches(start, start, byRef, new HashSet<>())) {
                rejected.put(start, "correlation chain loops back to itself");
            }
        }
    }

    private static boolean reaches(CorrelationRule from, CorrelationRule target, Map<String, CorrelationRule> byRef,
                                   Set<CorrelationRule> seen) {
        for (String ref : from.rules()) {
            CorrelationRule next = byRef.get(ref);
            if (next == target) {
                return true;
            }
            if (next != null && seen.add(next) && reaches(next, target, byRef, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, CorrelationRule> correlationRefs(List<CorrelationRule> correlations,
                                                                Set<CorrelationRule> excluded) {
        Map<String, CorrelationRule> refs = new HashMap<>();
        for (CorrelationRule correlation : correlations) {
            if (!excluded.contains(correlation)) {
                if (correlation.id() != null) {
                    refs.put(correlation.id(), correlation);
                }
                if (correlation.name() != null) {
                    refs.put(correlation.name(), correlation);
                }
            }
        }
        return refs;
    }

    private static void addRefs(Set<String> refs, String id, String name) {
        if (id != null) {
            refs.add(id);
        }
        if (name != null) {
            refs.add(name);
        }
    }
}
