package dev.sigmacep.sigma;

import java.io.Serializable;
import java.util.List;

/** The outcome of loading rule files: the rules that loaded and an error for every one that did not. */
public record RulePack(List<SigmaRule> rules, List<CorrelationRule> correlations, List<RuleError> errors)
        implements Serializable {
}
