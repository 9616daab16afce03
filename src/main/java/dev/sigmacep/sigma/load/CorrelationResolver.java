package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleIndex;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
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
        RuleIndex detections = RuleIndex.of(rules, List.of());
        RuleIndex all = correlationIndex(correlations, Set.of());
        Map<CorrelationRule, String> rejected = new LinkedHashMap<>();
        boolean changed = true;
        while (changed) { // a rejection may break the correlations that chain on it
            changed = false;
            RuleIndex live = correlationIndex(correlations, rejected.keySet());
            for (CorrelationRule correlation : correlations) {
                if (rejected.containsKey(correlation)) {
                    continue;
                }
                for (String ref : correlation.inputs()) {
                    if (detections.detectionIndex(ref) >= 0 || live.correlation(ref) != null) {
                        continue;
                    }
                    boolean wasRejected = all.correlation(ref) != null
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
        RuleIndex byRef = correlationIndex(correlations, rejected.keySet());
        for (CorrelationRule start : correlations) {
            if (!rejected.containsKey(start) && reaches(start, start, byRef, new HashSet<>())) {
                rejected.put(start, "correlation chain loops back to itself");
            }
        }
    }

    private static boolean reaches(CorrelationRule from, CorrelationRule target, RuleIndex byRef,
                                   Set<CorrelationRule> seen) {
        for (String ref : from.rules()) {
            CorrelationRule next = byRef.correlation(ref);
            if (next == target) {
                return true;
            }
            if (next != null && seen.add(next) && reaches(next, target, byRef, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The correlations not excluded, by id or name. */
    private static RuleIndex correlationIndex(List<CorrelationRule> correlations, Set<CorrelationRule> excluded) {
        return RuleIndex.of(List.of(), correlations.stream().filter(c -> !excluded.contains(c)).toList());
    }
}
