/**
 * Loading rule files into a {@link dev.sigmacep.sigma.rule.RulePack}: {@link dev.sigmacep.sigma.load.RuleLoader}
 * reads files ({@code RuleFiles}), parses every YAML document into a detection rule ({@code SigmaRuleParser}), a
 * correlation ({@code CorrelationParser}) or a Sigma filter ({@code SigmaFilter}, applied to the rules it names),
 * checks ids and names for clashes and correlations for missing or looping references ({@code CorrelationResolver}).
 * A bad rule never throws: it becomes a {@link dev.sigmacep.sigma.rule.RuleError} naming the construct.
 * {@link dev.sigmacep.sigma.load.PlaceholderFile} reads the placeholder values of the {@code expand} modifier.
 */
package dev.sigmacep.sigma.load;
