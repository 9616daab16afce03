/**
 * The Sigma language, pure Java (no Flink): rules in, per event the rules that match out. The root holds only
 * {@link dev.sigmacep.sigma.SigmaRuleException}, the error every layer reports a bad rule with; the work is in the
 * subpackages, which depend on each other one way, lowest first:
 *
 * <ul>
 *   <li>{@link dev.sigmacep.sigma.yaml}: safe, bounded YAML loading and typed reads of its maps.</li>
 *   <li>{@link dev.sigmacep.sigma.text}: Sigma string values (escapes, wildcards) and the searches over event text.</li>
 *   <li>{@link dev.sigmacep.sigma.model}: the detection language as typed values (detection, search identifiers,
 *       field items with their modifier chains, the condition tree), checked when built.</li>
 *   <li>{@link dev.sigmacep.sigma.condition}: the condition grammar, parsed into the model's condition tree.</li>
 *   <li>{@link dev.sigmacep.sigma.match}: one detection entry ({@code field|modifiers: values}) into a predicate.</li>
 *   <li>{@link dev.sigmacep.sigma.prefilter}: the literals a rule needs, and the per-event scan for them.</li>
 *   <li>{@link dev.sigmacep.sigma.compile}: a whole detection (search identifiers and condition) into a predicate.</li>
 *   <li>{@link dev.sigmacep.sigma.rule}: the loaded rules ({@code SigmaRule}, {@code CorrelationRule}), the pack and
 *       its errors: what the rest of the job consumes.</li>
 *   <li>{@link dev.sigmacep.sigma.load}: rule files into a {@code RulePack}, every bad rule a {@code RuleError}.</li>
 *   <li>{@link dev.sigmacep.sigma.route}: an event to the rules of its logsource, the prefilter, then the
 *       predicates ({@code CompiledRulePack}, the per-event entry point).</li>
 * </ul>
 *
 * <h2>Flow</h2>
 * <ol>
 *   <li>{@link dev.sigmacep.sigma.load.RuleLoader#read} reads rule files ({@link dev.sigmacep.sigma.rule.RuleSource});
 *       unreadable files become {@link dev.sigmacep.sigma.rule.RuleError}s.</li>
 *   <li>{@link dev.sigmacep.sigma.load.RuleLoader#load} parses every YAML document safely
 *       ({@link dev.sigmacep.sigma.yaml.SigmaYaml}) into detection rules ({@link dev.sigmacep.sigma.rule.SigmaRule}),
 *       correlation rules ({@link dev.sigmacep.sigma.rule.CorrelationRule}) and Sigma filters (applied to the rules they
 *       name). A bad rule never throws: it becomes a RuleError naming the construct. Correlations whose referenced
 *       rules are missing, rejected or looping are rejected too; {@link dev.sigmacep.sigma.rule.RulePack#resolve} and
 *       {@link dev.sigmacep.sigma.rule.RulePack#detectionRules} follow references by id or name.</li>
 *   <li>A detection section is read once, into the typed {@link dev.sigmacep.sigma.model.Detection}
 *       ({@link dev.sigmacep.sigma.load.DetectionParser}, with {@link dev.sigmacep.sigma.condition.ConditionParser});
 *       {@link dev.sigmacep.sigma.compile.DetectionCompiler} compiles it into a predicate (field items by
 *       {@code match.FieldMatchers}) and {@link dev.sigmacep.sigma.prefilter.NecessaryConditions} derives the literals
 *       it needs from the same model. Nothing reads the YAML maps after loading.</li>
 *   <li>{@link dev.sigmacep.sigma.route.CompiledRulePack} routes each event by Channel and EventID to the rules of its
 *       logsource, as mapped by {@link dev.sigmacep.sigma.route.LogsourceRouter} from {@code /sigma/logsources.yaml};
 *       rules of other products load but are reported by {@code unroutedRules()}. Of the routed rules it evaluates only
 *       those whose necessary literals occur in the event ({@link dev.sigmacep.sigma.prefilter}).</li>
 * </ol>
 * Placeholder values for the {@code expand} modifier come from {@link dev.sigmacep.sigma.load.PlaceholderFile}.
 */
package dev.sigmacep.sigma;
