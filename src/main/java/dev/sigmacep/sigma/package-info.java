/**
 * The Sigma rule structure layer: loading, compiling and routing Sigma rules (pure Java, no Flink).
 *
 * <h2>Flow</h2>
 * <ol>
 *   <li>{@link dev.sigmacep.sigma.RuleLoader#read} reads rule files ({@link dev.sigmacep.sigma.RuleSource});
 *       unreadable files become {@link dev.sigmacep.sigma.RuleError}s.</li>
 *   <li>{@link dev.sigmacep.sigma.RuleLoader#load} parses every YAML document safely
 *       ({@link dev.sigmacep.sigma.yaml.SigmaYaml}) into detection rules ({@link dev.sigmacep.sigma.SigmaRule}),
 *       correlation rules ({@link dev.sigmacep.sigma.CorrelationRule}) and Sigma filters (applied to the rules they
 *       name). A bad rule never throws: it becomes a RuleError naming the construct. Correlations whose referenced
 *       rules are missing, rejected or looping are rejected too; {@link dev.sigmacep.sigma.RulePack#resolve} and
 *       {@link dev.sigmacep.sigma.RulePack#detectionRules} follow references by id or name.</li>
 *   <li>Detections compile through {@link dev.sigmacep.sigma.DetectionCompiler} (search identifiers, with field
 *       entries compiled by {@code match.FieldMatchers}) and {@link dev.sigmacep.sigma.condition.ConditionParser}.</li>
 *   <li>{@link dev.sigmacep.sigma.CompiledRulePack} routes each event by Channel and EventID to the rules of its
 *       logsource, as mapped by {@link dev.sigmacep.sigma.LogsourceRouter} from {@code /sigma/logsources.yaml};
 *       rules of other products load but are reported by {@code unroutedRules()}. Of the routed rules it evaluates only
 *       those whose necessary literals occur in the event ({@link dev.sigmacep.sigma.prefilter}).</li>
 * </ol>
 * Placeholder values for the {@code expand} modifier come from {@link dev.sigmacep.sigma.Placeholders}.
 */
package dev.sigmacep.sigma;
