package dev.sigmacep.sigma.rule;

/** What a correlation's {@code rules} entry resolves to: a detection rule, or another correlation (chains). */
public sealed interface RuleReference {

    record Detection(SigmaRule rule) implements RuleReference {
    }

    record Correlation(CorrelationRule rule) implements RuleReference {
    }
}
