/**
 * The rules as loaded, which the rest of the job consumes: {@link dev.sigmacep.sigma.rule.SigmaRule} (a detection
 * rule with its compiled predicate and its prefilter condition), {@link dev.sigmacep.sigma.rule.CorrelationRule},
 * their {@link dev.sigmacep.sigma.rule.Logsource}, and the {@link dev.sigmacep.sigma.rule.RulePack} with a
 * {@link dev.sigmacep.sigma.rule.RuleError} for every rule that did not load. Rules travel to Flink operators as
 * {@link dev.sigmacep.sigma.rule.RuleSource} text and are loaded again there.
 */
package dev.sigmacep.sigma.rule;
