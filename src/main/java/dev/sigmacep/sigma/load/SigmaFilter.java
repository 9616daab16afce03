package dev.sigmacep.sigma.load;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.compile.DetectionCompiler;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.sigma.yaml.DocumentFields;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sigma (global) filter: an exclusion added to the rules it names, so they stop matching the events
 * that its condition matches ({@code rule and not filter}).
 */
record SigmaFilter(String id, String title, String path, Logsource logsource, List<String> rules,
                   Detection exclusion, EventPredicate compiledExclusion) implements Serializable {

    static SigmaFilter parse(Map<String, Object> document, String path, MatchContext context)
            throws SigmaRuleException {
        String id = DocumentFields.optionalString(document, "id", "");
        String title = DocumentFields.requiredString(document, "title", "");
        Logsource logsource = SigmaRuleParser.logsource(document);
        Map<String, Object> filter = DocumentFields.requiredMap(document, "filter", "");
        List<String> rules = DocumentFields.stringList(filter, "rules", "filter.");
        if (rules.isEmpty()) {
            throw new SigmaRuleException("missing filter.rules");
        }
        Map<String, Object> detection = new LinkedHashMap<>(filter);
        detection.remove("rules");
        Detection exclusion = DetectionParser.parse(detection);
        return new SigmaFilter(id, title, path, logsource, rules, exclusion, new DetectionCompiler(context).compile(exclusion));
    }

    /** Null when the filter may apply to the rule, else why not: a logsource part the filter sets must be equal. */
    String mismatch(SigmaRule rule) {
        Logsource other = rule.logsource();
        if (differs(logsource.product(), other.product()) || differs(logsource.category(), other.category())
                || differs(logsource.service(), other.service())) {
            return "filter logsource " + logsource + " does not match the logsource " + other + " of rule '"
                    + RuleLabels.key(rule.id(), rule.name(), rule.title()) + "'";
        }
        return null;
    }

    private static boolean differs(String filterPart, String rulePart) {
        return filterPart != null && !filterPart.equals(rulePart);
    }
}
