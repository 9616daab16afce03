/**
 * The rules as loaded, which the rest of the job consumes: {@link dev.sigmacep.sigma.rule.SigmaRule} (a detection
 * rule as a model: attributes and typed detection), {@link dev.sigmacep.sigma.rule.CompiledRule} (that rule with its
 * compiled predicate and prefilter condition), {@link dev.sigmacep.sigma.rule.CorrelationRule} with its
 * {@link dev.sigmacep.sigma.rule.CorrelationCondition}, their {@link dev.sigmacep.sigma.rule.Logsource}, and the
 * {@link dev.sigmacep.sigma.rule.RulePack} with a {@link dev.sigmacep.sigma.rule.RuleError} for every rule that did
 * not load; {@link dev.sigmacep.sigma.rule.RuleIndex} finds rules by id or name, {@link dev.sigmacep.sigma.rule.RuleLabels}
 * names them. Rules travel to Flink operators as {@link dev.sigmacep.sigma.rule.RuleSource} text and are loaded again
 * there.
 */
package dev.sigmacep.sigma.rule;
